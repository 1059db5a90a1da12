using Faceprint.Training.Tests.Models;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Faceprint.Training.Tests;

[Collection(TorchStateCollection.Name)]
public sealed class TorchRuntimeTests(ITestOutputHelper log)
{
    /// <summary>
    /// After the runtime's check, float32 convolutions of the shapes training uses agree with float64 (on a CPU whose
    /// oneDNN 3×3 kernels mishandle a channel tail — FaceLiVT-S's 20→40 stem conv — by switching oneDNN off), and the
    /// outcome is reported consistently.
    /// </summary>
    [Theory]
    [InlineData(20, 40, 56, 2)]
    [InlineData(24, 48, 28, 1)]
    [InlineData(40, 80, 14, 2)]
    public void ConvolutionsAgreeWithDoublePrecisionAfterTheRuntimeCheck(int inChannels, int outChannels, int side, int stride)
    {
        var outcome = TorchRuntime.EnsureCorrectConvolutions();
        log.WriteLine($"oneDNN convolutions: {outcome.OneDnn}, relative error {outcome.RelativeError:G3}, rejected oneDNN error {outcome.RejectedOneDnnError:G3}");
        Assert.InRange(outcome.RelativeError, 0, ConvolutionCheck.Tolerance);
        Assert.Equal(outcome.OneDnn, outcome.RejectedOneDnnError is null);
        Assert.Equal(outcome.OneDnn, LibTorchContext.OneDnnEnabled);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new Generator(5);
        var x = randn([4, inChannels, side, side], generator: generator);
        var w = randn([outChannels, inChannels, 3, 3], generator: generator).div_(Math.Sqrt(9 * inChannels));
        var y = nn.functional.conv2d(x, w, strides: [stride, stride], padding: [1, 1]);
        var reference = nn.functional.conv2d(x.to(ScalarType.Float64), w.to(ScalarType.Float64), strides: [stride, stride], padding: [1, 1]);
        double error = (y.to(ScalarType.Float64) - reference).abs().max().item<double>() / reference.abs().max().item<double>();
        Assert.InRange(error, 0, ConvolutionCheck.Tolerance);
    }

    /// <summary>The check runs inside the first network's constructor, after the caller seeded torch: it must draw nothing.</summary>
    [Fact]
    public void TheConvolutionCheckLeavesTorchsGeneratorAlone()
    {
        manual_seed(42);
        using var expected = randn(8);
        manual_seed(42);
        ConvolutionCheck.WorstRelativeError();
        using var actual = randn(8);
        Assert.Equal(expected.data<float>().ToArray(), actual.data<float>().ToArray());
    }

    /// <summary>The native library loads here (on Debian 12 only after the build's version-need fix) and autograd works.</summary>
    [Fact]
    public void LibtorchLoadsAndAStepLowersTheLoss()
    {
        torch.manual_seed(1);
        using var linear = nn.Linear(4, 1);
        using var optimizer = optim.SGD(linear.parameters(), 0.1);
        using var x = randn(64, 4);
        using var y = x.sum(1, keepdim: true);
        float first = 0, last = 0;
        for (int step = 0; step < 20; step++)
        {
            optimizer.zero_grad();
            using var loss = nn.functional.mse_loss(linear.forward(x), y);
            loss.backward();
            optimizer.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.True(last < first * 0.5f, $"loss {first} -> {last}");
        Assert.Equal(DeviceType.CPU, TorchRuntime.DefaultDevice.type);
    }
}
