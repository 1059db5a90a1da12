using System.Text.Json;
using Faceprint.Core.Graph.Quantization;
using Faceprint.Core.Weights;
using Faceprint.Engine;
using Faceprint.Storage;
using Faceprint.Tests.Imaging;
using Faceprint.Tests.Storage;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Cli;

/// <summary><c>models quantize</c> on the default embedder, then <c>--precision int8</c> with the file it wrote.</summary>
[Collection(DefaultModelsCollection.Name)]
public sealed class CliQuantizeTests
{
    private static readonly string Home = TestPaths.ModelHome;
    private readonly DefaultModelsFixture _models;

    public CliQuantizeTests(DefaultModelsFixture models) => _models = models;

    [Fact]
    public async Task QuantizesTheDefaultEmbedderAndComparesInInt8()
    {
        using var temp = new TempDirectory();
        string photos = Directory.CreateDirectory(Path.Combine(temp.Path, "photos")).FullName;
        foreach (var name in new[] { "img1.jpeg", "img2.jpeg", "img3.jpeg", "img47.jpg" })
            File.Copy(TestImages.DataPath(name), Path.Combine(photos, name));
        var paths = await DefaultModels.EnsureAsync(new FaceprintHome(Home), null, default);
        string output = Path.Combine(temp.Path, "q.fpm"), planOut = Path.Combine(temp.Path, "plan.json");

        var quantize = await CliRun.StartAsync("models", "quantize", paths.Embedder, "--calibration", photos, "--out", output, "--plan-out", planOut, "--home", Home, "--json");
        Assert.True(quantize.ExitCode == 0, quantize.ToString());
        using (var doc = JsonDocument.Parse(quantize.Stdout))
        {
            var root = doc.RootElement;
            Assert.Equal(4, root.GetProperty("calibration_faces").GetInt32());
            Assert.True(root.GetProperty("quantized_layers").GetInt32() > 10);
            Assert.InRange(root.GetProperty("min_cosine").GetDouble(), 0.98, 1.0);
            // By default the stem's depthwise conv and the GDConv take per-channel inputs, and no layer stays fp32 (the 3×3 stem
            // runs on the few-channel int8 kernel).
            Assert.Equal(["gdconv", "stem_dw"], root.GetProperty("per_channel").EnumerateArray().Select(e => e.GetString()));
            Assert.Empty(root.GetProperty("kept_fp32").EnumerateArray());
        }
        var plan = QuantizationPlan.FromModelFile(ModelFile.Load(output));
        Assert.NotNull(plan);
        Assert.Equal(4, plan.CalibrationImages);
        Assert.Equal(["gdconv", "stem_dw"], plan.ChannelInputs.Keys.Order());
        // --plan-out writes the same plan as a file of its own (how the int8 default's embedded plan is regenerated).
        Assert.Equal(plan.ToJson(), QuantizationPlan.Parse(File.ReadAllText(planOut)).ToJson());

        var compare = await CliRun.StartAsync("compare", TestImages.DataPath("img1.jpeg"), TestImages.DataPath("img2.jpeg"),
            "--model", output, "--precision", "int8", "--threshold", "0.3", "--home", Home, "--json");
        Assert.True(compare.ExitCode == 0, compare.ToString());
        using var json = JsonDocument.Parse(compare.Stdout);
        Assert.InRange(json.RootElement.GetProperty("similarity").GetDouble(), -1, 1);
    }

    [Fact]
    public async Task Int8OnTheDefaultModelNeedsNoExtraStepAndUsesItsOwnThreshold()
    {
        _ = _models;
        var run = await CliRun.StartAsync("compare", TestImages.DataPath("img1.jpeg"), TestImages.DataPath("img2.jpeg"), "--precision", "int8", "--home", Home, "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(DefaultEmbedderQuantization.Calibration.Threshold, json.RootElement.GetProperty("threshold").GetSingle());
    }

    [Fact]
    public async Task Int8WithAModelFileWithoutAPlanSaysHowToMakeOne()
    {
        var paths = await DefaultModels.EnsureAsync(new FaceprintHome(Home), null, default);
        var run = await CliRun.StartAsync("compare", TestImages.DataPath("img1.jpeg"), TestImages.DataPath("img2.jpeg"),
            "--model", paths.Embedder, "--precision", "int8", "--threshold", "0.3", "--home", Home);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("models quantize", run.Stderr);
    }
}
