using Faceprint.Training.Models;
using static TorchSharp.torch;

namespace Faceprint.Training.Tests.Models;

[Collection(TorchStateCollection.Name)]
public sealed class FaceBackbonesTests
{
    /// <summary>Every built-in configuration but the TFLite MobileFaceNet is trainable by its engine name.</summary>
    [Fact]
    public void TrainableNamesAreTheBuiltInsEfm3AndTheDefinitionsCanHold()
    {
        Assert.Contains("facelivt-s-la", FaceBackbones.TrainableNames);
        Assert.Contains("vit-l", FaceBackbones.TrainableNames);
        Assert.Contains("facex-xs", FaceBackbones.TrainableNames);
        Assert.DoesNotContain("mobilefacenet", FaceBackbones.TrainableNames);
        Assert.Equal(14, FaceBackbones.TrainableNames.Count);
    }

    /// <summary>A training config's name, embedding length and input side build the network it describes.</summary>
    [Fact]
    public void CreateByNameAppliesEmbeddingSizeAndInputSize()
    {
        TorchRuntime.SetThreads(1);
        using var model = FaceBackbones.Create("FaceLiVT_S_LA", 128, 112);
        Assert.Equal("facelivt", model.Family);
        Assert.Equal(128, model.EmbeddingSize);
        using var noGrad = no_grad();
        model.eval();
        using var output = model.forward(rand(2, 3, 112, 112));
        Assert.Equal([2L, 128], output.shape);

        Assert.Contains("trainable:", Assert.Throws<ModelFormatException>(() => FaceBackbones.Create("resnet50", 512, 112)).Message);
        Assert.Throws<ModelFormatException>(() => FaceBackbones.Create("facex-nano", 256, 96));
    }
}
