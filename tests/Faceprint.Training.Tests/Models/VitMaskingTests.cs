using Faceprint.Training.Models.Vit;
using static TorchSharp.torch;

namespace Faceprint.Training.Tests.Models;

[Collection(TorchStateCollection.Name)]
public sealed class VitMaskingTests
{
    /// <summary>Training mode drops tokens and fills them with mask_token, so the loss reaches it; eval mode never does.</summary>
    [Fact]
    public void OnlyTrainingModeUsesTheMaskToken()
    {
        manual_seed(3);
        using var model = new VitModule(TestNetworks.SmallVit);
        var maskToken = model.get_parameter("mask_token")!;

        Assert.True(GradientReachesMaskToken(model, train: true));
        Assert.False(GradientReachesMaskToken(model, train: false));

        using var unmasked = new VitModule(TestNetworks.SmallVit, maskRatio: 0);
        Assert.False(GradientReachesMaskToken(unmasked, train: true));
        Assert.Equal([1L, 1, TestNetworks.SmallVit.EmbedDim], maskToken.shape);
    }

    /// <summary>Eval mode is deterministic (no masking); training mode draws a new mask per pass.</summary>
    [Fact]
    public void MaskingIsRandomPerPassInTrainingOnly()
    {
        manual_seed(4);
        using var model = new VitModule(TestNetworks.SmallVit);
        using var input = rand(2, 3, 112, 112);
        using var noGrad = no_grad();
        model.eval();
        using (var a = model.forward(input))
        using (var b = model.forward(input))
            Assert.True(a.eq(b).all().item<bool>());
        model.train();
        using (var a = model.forward(input))
        using (var b = model.forward(input))
            Assert.False(a.allclose(b));
    }

    private static bool GradientReachesMaskToken(VitModule model, bool train)
    {
        using var scope = NewDisposeScope();
        model.zero_grad();
        model.train(train);
        var output = model.forward(rand(4, 3, 112, 112));
        output.pow(2).sum().backward();
        var grad = model.get_parameter("mask_token")!.grad;
        return grad is not null && grad.abs().sum().item<float>() > 0;
    }
}
