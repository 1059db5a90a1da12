using Faceprint.Training.Heads;
using Faceprint.Training.Losses;
using Faceprint.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace Faceprint.Training.Tests.Losses;

public sealed class MarginClassificationLossTests
{
    [Fact]
    public void FullSoftmaxLossIsCrossEntropyOfTheMarginLogits()
    {
        torch.manual_seed(4);
        using var head = new PartialFC(6, 5);
        var loss = new MarginClassificationLoss(head, CombinedMargin.CosFace, seed: 1);
        using var x = randn(3, 5);
        long[] labels = [0, 4, 4];
        using var got = loss.Forward(x, labels, epoch: 0, step: 0);

        using var cos = nn.functional.normalize(x, dim: 1).matmul(nn.functional.normalize(head.Weight.detach(), dim: 1).t());
        var c = cos.data<float>().ToArray();
        double expected = 0;
        for (int i = 0; i < 3; i++)
        {
            var logits = Enumerable.Range(0, 6).Select(j => 64 * (j == labels[i] ? c[i * 6 + j] - 0.4 : c[i * 6 + j])).ToArray();
            double max = logits.Max();
            expected += max + Math.Log(logits.Sum(l => Math.Exp(l - max))) - logits[labels[i]];
        }
        Assert.Equal(expected / 3, got.item<float>(), 3);
    }

    [Fact]
    public void StableStageLeavesCentresToTheExpectationUpdateAlone()
    {
        torch.manual_seed(5);
        using var head = new PartialFC(8, 4, sampleRate: 0.5);
        var loss = new MarginClassificationLoss(head, CombinedMargin.ArcFace, seed: 2, new ExpectationStage(SwitchEpoch: 1, Momentum: 0.5));
        using var features = new TorchSharp.Modules.Parameter(randn(4, 4));
        using var optimizer = OptimizerFactory.Create([features, head.Weight], new OptimizerSettings(OptimizerKind.Sgd, 0.1, 0.1));
        long[] labels = [1, 1, 2, 6];

        // Sampled stage: centres are learned.
        using (var l0 = loss.Forward(features, labels, epoch: 0, step: 0))
            l0.backward();
        Assert.NotNull(head.Weight.grad);
        optimizer.step();
        optimizer.zero_grad();

        // Stable stage: the optimizer step (with weight decay and momentum) must not touch the centres; only the
        // expectation update moves them, and only the batch's classes.
        loss.OnEpochStart(1);
        var before = head.Weight.detach().clone();
        using (var l1 = loss.Forward(features, labels, epoch: 1, step: 1))
            l1.backward();
        optimizer.step();
        Assert.True(head.Weight.detach().eq(before).all().item<bool>(), "the optimizer moved frozen centres");
        loss.AfterStep(features, labels, epoch: 1);
        var after = head.Weight.detach();
        for (int c = 0; c < 8; c++)
        {
            bool inBatch = labels.Contains(c);
            Assert.True(after[c].eq(before[c]).all().item<bool>() != inBatch, $"class {c}");
        }
    }
}
