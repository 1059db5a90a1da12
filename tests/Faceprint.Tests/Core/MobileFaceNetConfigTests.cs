using Faceprint.Core.Weights;
using Faceprint.Models.MobileFaceNet;
using Xunit.Abstractions;

namespace Faceprint.Tests.Core;

public sealed class MobileFaceNetConfigTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(0.36, 24, 48, 184)]
    [InlineData(0.55, 32, 72, 280)]
    [InlineData(0.90, 56, 112, 464)]
    [InlineData(1.35, 88, 176, 688)]
    [InlineData(1.0, 64, 128, 512)]
    public void FaceXChannelRounding(double width, int stem, int later, int final)
    {
        Assert.Equal(stem, MobileFaceNetConfig.Channels(64, width));
        Assert.Equal(later, MobileFaceNetConfig.Channels(128, width));
        Assert.Equal(final, MobileFaceNetConfig.Channels(512, width));
        var c = MobileFaceNetConfig.FromWidth(width, 512);
        Assert.Equal(stem, c.StemChannels);
        Assert.Equal(final, c.FinalChannels);
        Assert.Equal([stem, later, later, later, later], c.Stages.Select(s => s.Channels));
        Assert.Equal([5, 1, 6, 1, 2], c.Stages.Select(s => s.Blocks));
        Assert.Equal([2, 2, 1, 2, 1], c.Stages.Select(s => s.Stride));
        Assert.Equal([2, 4, 2, 4, 2], c.Stages.Select(s => s.Expansion));
    }

    [Fact]
    public void NamedConfigs()
    {
        Assert.Equal((24, 184, 256), (MobileFaceNetConfig.FaceXNano.StemChannels, MobileFaceNetConfig.FaceXNano.FinalChannels, MobileFaceNetConfig.FaceXNano.EmbeddingSize));
        Assert.Equal((32, 280, 512), (MobileFaceNetConfig.FaceXTiny.StemChannels, MobileFaceNetConfig.FaceXTiny.FinalChannels, MobileFaceNetConfig.FaceXTiny.EmbeddingSize));
        Assert.Equal((56, 464, 512), (MobileFaceNetConfig.FaceXStandard.StemChannels, MobileFaceNetConfig.FaceXStandard.FinalChannels, MobileFaceNetConfig.FaceXStandard.EmbeddingSize));
        Assert.Equal((88, 688, 512), (MobileFaceNetConfig.FaceXXs.StemChannels, MobileFaceNetConfig.FaceXXs.FinalChannels, MobileFaceNetConfig.FaceXXs.EmbeddingSize));
        Assert.Equal(8, MobileFaceNetConfig.Channels(64, 0.01)); // floor of 8 channels
    }

    [Fact]
    public void ParameterCountsGrowWithWidth()
    {
        (string Name, MobileFaceNetConfig Config)[] configs =
        [
            ("FaceX nano", MobileFaceNetConfig.FaceXNano),
            ("FaceX tiny", MobileFaceNetConfig.FaceXTiny),
            ("FaceX standard", MobileFaceNetConfig.FaceXStandard),
            ("FaceX xs", MobileFaceNetConfig.FaceXXs),
        ];
        long previous = 0;
        foreach (var (name, config) in configs)
        {
            var specs = MobileFaceNetDefinition.Parameters(config).ToList();
            long total = specs.Sum(s => NamedTensor.Count(s.Shape));
            output.WriteLine($"{name}: {total:N0} parameters in {specs.Count} tensors (deploy form: weights + biases + PReLU)");
            Assert.True(total > previous, $"{name}: {total} ≤ {previous}");
            Assert.Equal(specs.Count, specs.Select(s => s.Name).Distinct().Count());
            previous = total;
        }
        long expo = MobileFaceNetDefinition.Parameters(MobileFaceNetConfig.ExpoTfLite).Sum(s => NamedTensor.Count(s.Shape));
        output.WriteLine($"Expo TFLite (width 1.0, 192-d): {expo:N0} parameters");
        Assert.True(expo > 0);
    }
}
