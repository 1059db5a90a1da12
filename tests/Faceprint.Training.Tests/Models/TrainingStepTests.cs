using static TorchSharp.torch;

namespace Faceprint.Training.Tests.Models;

[Collection(TorchStateCollection.Name)]
public sealed class TrainingStepTests
{
    /// <summary>Gradients flow through every family: a few AdamW steps fit the embeddings of a fixed batch to targets.</summary>
    [Theory]
    [InlineData("facelivt-s-la")]
    [InlineData("vit-small-test")]
    [InlineData("facex-nano")]
    public void AdamWStepsLowerTheLossOnAFixedBatch(string name)
    {
        using var model = TestNetworks.Create(name);
        model.train();
        using var optimizer = optim.AdamW(model.parameters(), 1e-3);
        using var faces = rand(8, 3, model.InputSize, model.InputSize).mul_(2).sub_(1);
        using var targets = randn(8, model.EmbeddingSize);
        float first = 0, last = 0;
        for (int step = 0; step < 6; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.forward(faces), targets);
            loss.backward();
            optimizer.step();
            last = loss.item<float>();
            if (step == 0) first = last;
        }
        Assert.True(last < 0.8f * first, $"loss {first} -> {last}");
        Assert.All(model.parameters(), p => Assert.NotNull(p.grad));
    }
}
