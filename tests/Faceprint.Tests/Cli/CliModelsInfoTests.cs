using System.Text.Json;
using Faceprint.Core.Weights;
using Faceprint.Models;
using Faceprint.Models.FaceLiVT;
using Faceprint.Tests.Storage;

namespace Faceprint.Tests.Cli;

/// <summary><c>faceprint models info</c> on built-in configurations and on a model file (no downloads needed).</summary>
public sealed class CliModelsInfoTests
{
    [Fact]
    public async Task JsonReportsCountsFromTheDefinitionAndMeasuredLatency()
    {
        var run = await CliRun.StartAsync("models", "info", "facelivt-s-la", "--json", "--runs", "1", "--threads", "1");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        var model = Assert.Single(doc.RootElement.GetProperty("models").EnumerateArray());
        Assert.Equal("facelivt-s-la", model.GetProperty("model").GetString());
        Assert.Equal(BuiltInModels.Find("facelivt-s-la")!.TrainableParameters, model.GetProperty("params").GetInt64());
        // The deploy form composes each PatchMerging projection into its FFN expansion and projects the last FFN after the
        // pool: 4.92 M parameters and 148 M multiply-adds, against 5.05 M and 158 M as trained.
        Assert.InRange(model.GetProperty("params_deploy").GetInt64(), 4_800_000, model.GetProperty("params").GetInt64() - 1);
        Assert.InRange(model.GetProperty("macs").GetInt64(), 140_000_000, 165_000_000);
        Assert.Equal(512, model.GetProperty("embedding_size").GetInt32());
        Assert.True(model.GetProperty("ms_1t").GetDouble() > 0);
        Assert.True(model.GetProperty("reparameterized").GetBoolean());
    }

    [Fact]
    public async Task NoReparamMeasuresTheTrainFormGraphWhichHasMoreMacs()
    {
        var on = await CliRun.StartAsync("models", "info", "facelivt-s-sa", "--json", "--runs", "1", "--threads", "1");
        var off = await CliRun.StartAsync("models", "info", "facelivt-s-sa", "--json", "--runs", "1", "--threads", "1", "--no-reparam");

        Assert.True(on.ExitCode == 0 && off.ExitCode == 0, on + "\n" + off);
        long Macs(CliRun r) => JsonDocument.Parse(r.Stdout).RootElement.GetProperty("models")[0].GetProperty("macs").GetInt64();
        Assert.False(JsonDocument.Parse(off.Stdout).RootElement.GetProperty("models")[0].GetProperty("reparameterized").GetBoolean());
        Assert.True(Macs(off) > Macs(on), $"{Macs(off)} vs {Macs(on)}");
    }

    [Fact]
    public async Task ReadsAModelFile()
    {
        using var dir = new TempDirectory();
        var config = FaceLiVTConfig.Create(FaceLiVTConfig.SmallDims, TokenMixer.Mhla);
        string path = Path.Combine(dir.Path, "s-la.fpm");
        new ModelFile(FaceLiVTDefinition.Family, ModelFamilies.ToJson(config),
            [.. RandomWeights.Create(FaceLiVTDefinition.Parameters(config), 3).Tensors]).Save(path);

        var run = await CliRun.StartAsync("models", "info", path, "--runs", "1", "--threads", "1");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("s-la ", run.Stdout);
        Assert.Contains("params    5.07 M", run.Stdout);
    }

    [Fact]
    public async Task WithoutANameOnlyTheDefaultModelIsMeasured()
    {
        var run = await CliRun.StartAsync("models", "info", "--json", "--runs", "1", "--threads", "1");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.Equal("mobilefacenet", Assert.Single(doc.RootElement.GetProperty("models").EnumerateArray()).GetProperty("model").GetString());
        Assert.StartsWith("faceprint: measuring models: 1/1 (", Assert.Single(run.StderrLines));
    }

    [Fact]
    public async Task AllWithANameIsBadInput()
    {
        var run = await CliRun.StartAsync("models", "info", "vit-t", "--all");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--all", Assert.Single(run.StderrLines));
    }

    [Fact]
    public async Task UnknownNameIsBadInput()
    {
        var run = await CliRun.StartAsync("models", "info", "no-such-model");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("neither a built-in model", run.Stderr);
    }
}
