using CsCheck;
using Faceprint.Training.Data;
using Faceprint.Training.Heads;
using static TorchSharp.torch;

namespace Faceprint.Training.Tests.Heads;

public sealed class PartialFCTests
{
    [Theory]
    [InlineData(0.1, 100)]
    [InlineData(0.3, 1000)]
    [InlineData(1.0, 50)]
    public void SampleKeepsEveryPositiveAndHasTheRightSize(double rate, int classes)
    {
        using var head = new PartialFC(classes, 8, rate);
        var labels = new long[] { 3, 7, 3, 40, 0, 49 };
        var random = new SplitMix64(1, 2);
        var sample = head.Sample(labels, ref random);

        Assert.Equal(Math.Max(5, (int)Math.Ceiling(rate * classes)), sample.Classes.Length);
        Assert.Equal(sample.Classes.Order(), sample.Classes);
        Assert.Equal(sample.Classes.Length, sample.Classes.Distinct().Count());
        for (int i = 0; i < labels.Length; i++)
            Assert.Equal(labels[i], sample.Classes[sample.Labels[i]]);
    }

    [Fact]
    public void SamplingInvariantsHoldForAnyClassCountRateAndBatch()
    {
        var gen =
            from classes in Gen.Int[2, 400]
            from rate in Gen.Double[0.01, 1]
            from labels in Gen.Long[0, classes - 1].Array[1, 64]
            from seed in Gen.Long
            select (classes, rate, labels, seed);
        gen.Sample(t =>
        {
            using var head = new PartialFC(t.classes, 2, t.rate);
            var random = new SplitMix64(t.seed);
            var sample = head.Sample(t.labels, ref random);
            int positives = t.labels.Distinct().Count();
            Assert.Equal(Math.Max(positives, (int)Math.Ceiling(t.rate * t.classes)), sample.Classes.Length);
            Assert.True(sample.Classes.Zip(sample.Classes.Skip(1)).All(p => p.First < p.Second), "classes not strictly ascending");
            Assert.All(sample.Classes, c => Assert.InRange(c, 0, t.classes - 1));
            for (int i = 0; i < t.labels.Length; i++)
                Assert.Equal(t.labels[i], sample.Classes[sample.Labels[i]]);
        }, iter: 200);
    }

    [Fact]
    public void BatchWithMorePositivesThanTheRateAllowsKeepsThemAll()
    {
        using var head = new PartialFC(20, 4, 0.1);
        var labels = Enumerable.Range(0, 10).Select(i => (long)i).ToArray();
        var random = new SplitMix64(5);
        Assert.Equal(labels, head.Sample(labels, ref random).Classes);
    }

    [Fact]
    public void NegativesVaryBetweenStepsAndAreUniformish()
    {
        using var head = new PartialFC(50, 4, 0.2);
        var hits = new int[50];
        for (int step = 0; step < 2000; step++)
        {
            var random = new SplitMix64(1, step);
            foreach (var c in head.Sample([0L], ref random).Classes)
                hits[c]++;
        }
        Assert.Equal(2000, hits[0]);
        // Each of the 49 negatives is picked with probability 9/49 per step: about 367 times.
        Assert.All(hits.Skip(1), h => Assert.InRange(h, 280, 460));
    }

    [Fact]
    public void OnlySampledCentresReceiveGradients()
    {
        using var head = new PartialFC(30, 6, 0.2);
        var labels = new long[] { 2, 9 };
        var random = new SplitMix64(3);
        var sample = head.Sample(labels, ref random);
        using var embeddings = randn(2, 6);
        using var cosine = head.Cosine(embeddings, sample.Classes);
        Assert.Equal([2L, sample.Classes.Length], cosine.shape);
        using var loss = cosine.pow(2).sum();
        loss.backward();
        var rowNorms = head.Weight.grad!.abs().sum(1).data<float>().ToArray();
        for (int c = 0; c < 30; c++)
        {
            if (sample.Classes.Contains(c)) Assert.True(rowNorms[c] > 0, $"sampled class {c} got no gradient");
            else Assert.Equal(0f, rowNorms[c]);
        }
    }

    [Fact]
    public void ExpectationUpdateMovesEachBatchClassTowardsItsMeanUnitFeature()
    {
        using var head = new PartialFC(4, 2);
        head.NormalizeCentres();
        var before = head.Weight.detach().clone();
        using var features = tensor(new float[] { 3, 0, 0, 2, 0, 5 }, [3, 2]);
        head.UpdateExpectations(features, [1, 3, 3], alpha: 0.75);
        var after = head.Weight.detach();
        // Class 1: mean of (1, 0); class 3: mean of (0, 1) and (0, 1).
        Assert.True(after[1].allclose(before[1] * 0.75 + tensor(new float[] { 1, 0 }) * 0.25));
        Assert.True(after[3].allclose(before[3] * 0.75 + tensor(new float[] { 0, 1 }) * 0.25));
        Assert.True(after[0].eq(before[0]).all().item<bool>());
        Assert.True(after[2].eq(before[2]).all().item<bool>());
    }
}
