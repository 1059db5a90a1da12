using System.Text.Json;
using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;
using Faceprint.Core.Weights;
using Faceprint.Engine;
using Faceprint.Models;
using Faceprint.Tests.Imaging;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Cli;

/// <summary>
/// <c>--model FILE</c>: embedding with a model of the user's own (here a FaceLiVT-S file with seeded random weights, as
/// <c>faceprint export</c> writes them) while detection stays MTCNN; such a model has no calibrated threshold.
/// </summary>
[Collection(DefaultModelsCollection.Name)]
public sealed class CliCustomModelTests : IDisposable
{
    private static readonly string Home = TestPaths.ModelHome;
    private static readonly string ImageA = TestImages.DataPath("img1.jpeg");
    private static readonly string ImageB = TestImages.DataPath("img2.jpeg");
    private readonly string _folder = Directory.CreateTempSubdirectory("faceprint-model-").FullName;
    private readonly string _model;

    public CliCustomModelTests(DefaultModelsFixture models)
    {
        _ = models;
        var blueprint = BuiltInModels.Find("facelivt-s-la")!;
        _model = Path.Combine(_folder, "student.fpm");
        new ModelFile(blueprint.Family, blueprint.Config, [.. RandomWeights.Create(blueprint.Parameters, 5).Tensors]).Save(_model);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task CompareNeedsAThresholdAndThenUsesTheModel()
    {
        var refused = await CliRun.StartAsync("compare", ImageA, ImageB, "--model", _model, "--home", Home);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--threshold", Assert.Single(refused.StderrLines));

        var run = await CliRun.StartAsync("compare", ImageA, ImageB, "--model", _model, "--threshold", "0.3", "--home", Home, "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.StartsWith("facelivt-512/sha256:", json.RootElement.GetProperty("model").GetString());
        Assert.Equal(0.3, json.RootElement.GetProperty("threshold").GetDouble(), 6);
        Assert.InRange(json.RootElement.GetProperty("similarity").GetDouble(), -1, 1);
    }

    [Theory]
    [InlineData("default*0.75+faceres*0.25")]
    [InlineData("tfjs-mobilefacenet")]
    public async Task A_model_set_or_a_zoo_model_without_a_threshold_is_refused_before_anything_loads(string model)
    {
        // The photo does not exist: the refusal must come first, with no image read and no zoo package pulled.
        var refused = await CliRun.StartAsync("compare", Path.Combine(_folder, "missing.jpg"), ImageB, "--model", model, "--home", Home);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("no calibrated threshold", Assert.Single(refused.StderrLines));
    }

    [Fact]
    public async Task EmbeddingsComeFromTheModelOnFaceLiVTsOwnInputScale()
    {
        var run = await CliRun.StartAsync("embed", ImageA, "--model", _model, "--home", Home, "--json", "--threads", "1");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var cliEmbedding = json.RootElement.GetProperty("faces")[0].GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(512, cliEmbedding.Length);
        Assert.Equal(1.0, Math.Sqrt(cliEmbedding.Sum(v => (double)v * v)), 4);

        // The same face through the network by hand, fed (v − 127.5)/127.5 as FaceLiVT was trained.
        using var engine = await FaceEngine.CreateAsync(new FaceEngineOptions { Home = Home, EmbedderModel = _model, Threads = 1 });
        Assert.False(engine.HasThreshold);
        var image = await engine.LoadImageAsync(ImageA);
        var aligned = engine.Align(image, FaceEngine.MostProminent(engine.Detect(image), image));
        var session = new InferenceSession(ModelFamilies.Build(ModelFile.Load(_model)), 1);
        var input = session.PrepareInput(new TensorShape(1, 112, 112, 3));
        for (int i = 0; i < input.Length; i++) input[i] = (aligned.Pixels[i] - 127.5f) / 127.5f;
        session.Run();
        var raw = session.Output(0).ToArray();
        float norm = MathF.Sqrt(raw.Sum(v => v * v));
        var embedding = new float[engine.EmbeddingSize];
        engine.EmbedAligned(aligned, embedding);
        for (int i = 0; i < raw.Length; i++) Assert.Equal(raw[i] / norm, embedding[i], 1e-5f);
    }
}
