using TorchSharp;
using static TorchSharp.torch;

namespace Faceprint.Training.Tests;

public sealed class TorchRuntimeTests
{
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
