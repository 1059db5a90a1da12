using Faceprint.Training.Data;
using Faceprint.Training.Heads;
using TorchSharp;
using static TorchSharp.torch;

namespace Faceprint.Training.Losses;

/// <summary>
/// The classification loss: cross-entropy over combined-margin logits against PartialFC-sampled centres, optionally
/// switching to LVFace's expectation centres at <see cref="ExpectationStage.SwitchEpoch"/>. Negatives for step t are drawn
/// from a generator seeded by (seed, t), so a resumed run samples exactly what an uninterrupted one would.
/// </summary>
public sealed class MarginClassificationLoss
{
    private readonly long _seed;

    /// <summary>Creates the loss over <paramref name="head"/>'s centres.</summary>
    public MarginClassificationLoss(PartialFC head, CombinedMargin margin, long seed, ExpectationStage? stable = null)
    {
        Head = head;
        Margin = margin;
        Stable = stable;
        _seed = seed;
    }

    /// <summary>The class centres.</summary>
    public PartialFC Head { get; }

    /// <summary>The margin applied to target logits.</summary>
    public CombinedMargin Margin { get; }

    /// <summary>LVFace's stable stage, or <c>null</c> to sample and learn centres throughout.</summary>
    public ExpectationStage? Stable { get; }

    /// <summary>Whether <paramref name="epoch"/> is in the stable (expectation) stage.</summary>
    public bool IsStable(int epoch) => Stable is { } s && epoch >= s.SwitchEpoch;

    /// <summary>Call when an epoch starts at its first batch: entering the stable stage puts the centres on the unit sphere.</summary>
    public void OnEpochStart(int epoch)
    {
        if (Stable is { } s && epoch == s.SwitchEpoch)
            Head.NormalizeCentres();
    }

    /// <summary>Mean cross-entropy of the margin logits of <paramref name="embeddings"/> (N×D) with <paramref name="labels"/> at step <paramref name="step"/>.</summary>
    public Tensor Forward(Tensor embeddings, long[] labels, int epoch, long step)
    {
        using var scope = NewDisposeScope();
        Tensor cosine, target;
        if (IsStable(epoch))
        {
            Head.FreezeCentres();
            cosine = Head.CosineAllFrozen(embeddings);
            target = tensor(labels, device: embeddings.device);
        }
        else
        {
            var random = new SplitMix64(_seed, step, 0xFC);
            var sample = Head.Sample(labels, ref random);
            cosine = Head.Cosine(embeddings, sample.Classes);
            target = tensor(sample.Labels, device: embeddings.device);
        }
        var logits = Margin.Logits(cosine, target);
        return nn.functional.cross_entropy(logits, target).MoveToOuterDisposeScope();
    }

    /// <summary>Call after the optimizer step: in the stable stage, moves the batch's class centres towards its features.</summary>
    public void AfterStep(Tensor embeddings, long[] labels, int epoch)
    {
        if (IsStable(epoch))
            Head.UpdateExpectations(embeddings, labels, Stable!.Momentum);
    }
}
