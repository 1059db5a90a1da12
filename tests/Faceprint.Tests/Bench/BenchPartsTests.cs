using Faceprint.Cli.Commands;
using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;

namespace Faceprint.Tests.Bench;

public sealed class BenchPartsTests
{
    [Fact]
    public void StatsAreTheMedianAndTheNearestRankP90()
    {
        var stats = BenchStats.Of([10, 1, 9, 2, 8, 3, 7, 4, 6, 5]);

        Assert.Equal(5.5, stats.Median, 1e-12);
        Assert.Equal(9, stats.P90, 1e-12);
        Assert.Equal(new BenchStats(3, 3), BenchStats.Of([3]));
    }

    [Fact]
    public void ThePeakIsMeasuredOncePerThreadCountAndDescribed()
    {
        var calls = new List<int>();
        var machine = new BenchMachine(KernelIsa.Avx2, threads =>
        {
            calls.Add(threads);
            return 100.0 * threads;
        });

        Assert.Equal(100, machine.PeakGflops(1), 1e-9);
        Assert.Equal(200, machine.PeakGflops(2), 1e-9);
        Assert.Equal(100, machine.PeakGflops(1), 1e-9);
        Assert.Equal([1, 2], calls);
        Assert.Contains("measured on this CPU (Avx2", machine.Describe());
        Assert.Contains("1 thread(s) 100.0 GFLOP/s, 2 thread(s) 200.0 GFLOP/s", machine.Describe());
    }

    [Theory]
    [InlineData("facex-nano", 34.7)]
    [InlineData("facex-tiny", 66.4)]
    [InlineData("facex-standard", 171)]
    [InlineData("facex-xs", 410)]
    public void FaceXModelsSpendThePublishedConvMacsPerFace(string name, double publishedMillions)
    {
        var model = BenchModels.Select([name]).Single();

        long macs = model.Build(null).CountMacs(new TensorShape(1, model.InputSize, model.InputSize, 3));

        // FaceX's figures are rounded to three digits; 1 % covers that.
        Assert.InRange(macs / 1e6, publishedMillions * 0.99, publishedMillions * 1.01);
    }

    [Fact]
    public void RegistryListsTheDefaultModelFirstAndRejectsUnknownNames()
    {
        Assert.Equal("mobilefacenet", BenchModels.All[0].Name);
        Assert.True(BenchModels.All[0].NeedsDefaultModels);
        Assert.Equal(["facex-tiny", "facex-xs"], BenchModels.Select(["facex-xs", "facex-tiny"]).Select(m => m.Name));
        Assert.Throws<ArgumentException>(() => BenchModels.Select(["nope"]));
    }
}
