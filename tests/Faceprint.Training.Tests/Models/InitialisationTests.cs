using static TorchSharp.torch;

namespace Faceprint.Training.Tests.Models;

[Collection(TorchStateCollection.Name)]
public sealed class InitialisationTests
{
    /// <summary>
    /// A fresh network starts as PyTorch's would: every value finite and every norm's affine at γ = 1, β = 0
    /// (TorchSharp leaves GroupNorm's uninitialised unless the module sets it).
    /// </summary>
    [Theory]
    [InlineData("facelivt-s-la")]
    [InlineData("vit-small-test")]
    [InlineData("facex-nano")]
    public void FreshNetworksAreFiniteWithUnitNorms(string name)
    {
        using var model = TestNetworks.Create(name);
        foreach (var (parameterName, p) in model.named_parameters())
        {
            Assert.True(p.isfinite().all().item<bool>(), $"{parameterName} has non-finite values");
            bool norm = parameterName.Contains("norm", StringComparison.Ordinal) || parameterName.Contains(".bn.", StringComparison.Ordinal);
            if (norm && parameterName.EndsWith(".weight", StringComparison.Ordinal))
                Assert.True(p.eq(1).all().item<bool>(), $"{parameterName} does not start at 1");
            if (norm && parameterName.EndsWith(".bias", StringComparison.Ordinal))
                Assert.True(p.eq(0).all().item<bool>(), $"{parameterName} does not start at 0");
        }
    }
}
