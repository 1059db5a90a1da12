using Faceprint.Training.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Faceprint.Training.Heads;

/// <summary>
/// The class-centre matrix of a margin softmax with PartialFC sampling (An et al.): each step scores the batch against
/// all its positive classes plus random negatives up to <see cref="SampleRate"/>·C classes. The centres are one
/// full-size parameter and a step gathers its rows, so gradients scatter back into exactly those rows and the optimizer
/// keeps one consistent state per centre. (Unsampled rows get a zero gradient, so AdamW still decays and moves them by
/// their momentum, as InsightFace's PartialFC v2 does with its full-size weight.)
/// </summary>
public sealed class PartialFC : nn.Module
{
    /// <summary>
    /// Creates <paramref name="classes"/> centres of <paramref name="embeddingSize"/> dims on <paramref name="device"/> (CPU by
    /// default), drawn N(0, 0.01²) from torch's global generator as InsightFace does.
    /// </summary>
    public PartialFC(int classes, int embeddingSize, double sampleRate = 1.0, Device? device = null) : base(nameof(PartialFC))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(embeddingSize, 1);
        if (sampleRate is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "sample rate must lie in (0, 1]");
        Classes = classes;
        SampleRate = sampleRate;
        // torch.normal(mean, std) builds temporary Scalars the GC may free while libtorch still reads them (seen as a
        // rare "toFloat" check failure inside add_); a Scalar held by this frame until the call returns cannot be.
        using var std = 0.01.ToScalar();
        Weight = new Parameter(randn([classes, embeddingSize], device: device).mul_(std));
        RegisterComponents();
    }

    /// <summary>The C×D class centres.</summary>
    public Parameter Weight { get; }

    /// <summary>Number of classes C.</summary>
    public int Classes { get; }

    /// <summary>Fraction of the classes scored per step.</summary>
    public double SampleRate { get; }

    /// <summary>How many classes a step scores: ⌈rate·C⌉, but never fewer than the batch's distinct classes.</summary>
    public int SampleSize(int positives) => Math.Max(positives, (int)Math.Ceiling(SampleRate * Classes));

    /// <summary>
    /// Chooses the classes of one step: all of <paramref name="labels"/>' classes plus negatives drawn without replacement
    /// from the others with <paramref name="random"/>, sorted ascending; labels renumbered into the sample.
    /// </summary>
    internal PartialFCSample Sample(ReadOnlySpan<long> labels, ref SplitMix64 random)
    {
        var isPositive = new bool[Classes];
        int positives = 0;
        foreach (long label in labels)
        {
            if (label < 0 || label >= Classes)
                throw new ArgumentOutOfRangeException(nameof(labels), label, $"label outside the head's {Classes} classes");
            if (!isPositive[label]) { isPositive[label] = true; positives++; }
        }
        int size = SampleSize(positives);
        var chosen = isPositive;
        if (size > positives)
        {
            var negatives = new int[Classes - positives];
            for (int c = 0, k = 0; c < Classes; c++)
                if (!isPositive[c]) negatives[k++] = c;
            // Partial Fisher–Yates: the first (size − positives) slots become a uniform draw without replacement.
            for (int i = 0; i < size - positives; i++)
            {
                int j = i + random.NextInt(negatives.Length - i);
                (negatives[i], negatives[j]) = (negatives[j], negatives[i]);
                chosen[negatives[i]] = true;
            }
        }
        var classes = new long[size];
        var position = new long[Classes];
        for (int c = 0, k = 0; c < Classes; c++)
            if (chosen[c]) { position[c] = k; classes[k++] = c; }
        var remapped = new long[labels.Length];
        for (int i = 0; i < labels.Length; i++)
            remapped[i] = position[labels[i]];
        return new PartialFCSample(classes, remapped);
    }

    /// <summary>Cosines (N×S) between the L2-normalised <paramref name="embeddings"/> and the sampled, normalised centres.</summary>
    public Tensor Cosine(Tensor embeddings, long[] classes)
    {
        using var scope = NewDisposeScope();
        using var index = tensor(classes, device: Weight.device);
        var centres = Weight.index_select(0, index);
        return nn.functional.normalize(embeddings, dim: 1).matmul(nn.functional.normalize(centres, dim: 1).t()).MoveToOuterDisposeScope();
    }

    /// <summary>Cosines (N×C) against every centre, with no gradient into the centres (LVFace's stable stage).</summary>
    public Tensor CosineAllFrozen(Tensor embeddings)
    {
        using var scope = NewDisposeScope();
        var centres = nn.functional.normalize(Weight.detach(), dim: 1);
        return nn.functional.normalize(embeddings, dim: 1).matmul(centres.t()).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Stops the centres being learned (LVFace's stable stage): no gradient reaches them, and the zero gradient left by
    /// earlier steps is dropped, so the optimizer neither decays nor moves them by momentum — a resumed run, which starts
    /// with no gradient at all, then behaves exactly like an uninterrupted one.
    /// </summary>
    public void FreezeCentres()
    {
        Weight.requires_grad = false;
        Weight.grad = null;
    }

    /// <summary>Scales every centre to unit length in place, so running means of unit features update them on one scale.</summary>
    public void NormalizeCentres()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Weight.copy_(nn.functional.normalize(Weight, dim: 1));
    }

    /// <summary>
    /// LVFace's expectation update: for each class c in the batch, P_c ← α·P_c + (1−α)·mean of its L2-normalised features.
    /// </summary>
    public void UpdateExpectations(Tensor embeddings, long[] labels, double alpha)
    {
        if (alpha is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "momentum must lie in [0, 1]");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var distinct = labels.Distinct().Order().ToArray();
        var slot = distinct.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => (long)p.i);
        var slots = tensor(labels.Select(l => slot[l]).ToArray(), device: Weight.device);
        var features = nn.functional.normalize(embeddings.detach().to(Weight.dtype), dim: 1);
        var sums = zeros([distinct.Length, Weight.shape[1]], dtype: Weight.dtype, device: Weight.device).index_add(0, slots, features, 1);
        var counts = zeros([distinct.Length], dtype: Weight.dtype, device: Weight.device).index_add(0, slots, ones([labels.Length], dtype: Weight.dtype, device: Weight.device), 1);
        var means = sums / counts.unsqueeze(1);
        var rows = tensor(distinct, device: Weight.device);
        var updated = Weight.index_select(0, rows) * alpha + means * (1 - alpha);
        Weight.index_copy_(0, rows, updated);
    }
}
