using System.Text.Json;
using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;
using Faceprint.Core.Weights;
using Faceprint.Import.Efm3;
using Faceprint.Models;
using Faceprint.Models.MobileFaceNet;
using Faceprint.OnnxRuntime;
using Faceprint.Tests.Cli;
using Faceprint.Tests.Storage;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Onnx;

/// <summary><c>faceprint models export</c> and <c>models convert</c> on EFM3 files and the default models.</summary>
[Collection(DefaultModelsCollection.Name)]
public sealed class ModelsExportCommandTests
{
    /// <summary>Takes the fixture so the models are pulled and converted before the first run.</summary>
    public ModelsExportCommandTests(DefaultModelsFixture models) => _ = models;

    [Fact]
    public async Task ConvertThenExportAnEfm3FileGivesAnOnnxModelThatMatchesTheEngine()
    {
        using var temp = new TempDirectory();
        var model = Efm3Model.Random(MobileFaceNetConfig.FaceXNano, seed: 31);
        string efm3 = Path.Combine(temp.Path, "nano.efm3"), fpm = Path.Combine(temp.Path, "nano.fpm"), onnx = Path.Combine(temp.Path, "nano.onnx");
        Efm3Writer.Save(model, efm3);

        var convert = await CliRun.StartAsync("models", "convert", efm3, "--out", fpm, "--json");
        var export = await CliRun.StartAsync("models", "export", fpm, "--onnx", onnx, "--json");

        Assert.True(convert.ExitCode == 0, convert.ToString());
        Assert.True(export.ExitCode == 0, export.ToString());
        using var doc = JsonDocument.Parse(export.Stdout);
        Assert.Equal([112, 112, 3], doc.RootElement.GetProperty("input_hwc").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(new FileInfo(onnx).Length, doc.RootElement.GetProperty("bytes").GetInt64());

        var network = ModelFamilies.Build(ModelFile.Load(fpm));
        var shape = new TensorShape(2, 112, 112, 3);
        var input = Efm3.Efm3Tests.RandomInput(2, seed: 32);
        var session = new InferenceSession(network);
        input.CopyTo(session.PrepareInput(shape));
        session.Run();
        using var ort = new OrtModelRunner(await File.ReadAllBytesAsync(onnx), threads: 1);
        input.CopyTo(ort.PrepareInput(shape));
        ort.Run();
        float worst = 0;
        for (int i = 0; i < session.Output(0).Length; i++) worst = MathF.Max(worst, MathF.Abs(session.Output(0)[i] - ort.Output(0)[i]));
        Assert.InRange(worst, 0f, 1e-4f);
    }

    [Fact]
    public async Task ExportsADefaultModelByNameAtAChosenSize()
    {
        using var temp = new TempDirectory();
        string onnx = Path.Combine(temp.Path, "pnet.onnx");

        var run = await CliRun.StartAsync("models", "export", "pnet", "--onnx", onnx, "--input-size", "30x40", "--home", TestPaths.ModelHome);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("input NHWC [N,30,40,3]", run.Stdout);
        using var ort = new OrtModelRunner(await File.ReadAllBytesAsync(onnx), threads: 1);
        ort.PrepareInput(new TensorShape(1, 30, 40, 3));
        ort.Run();
        Assert.Equal([1L, 10, 15, 2], ort.OutputShape(0)); // 30×40 → conv 28×38 → SAME pool 14×19 → two 3×3 convs 10×15
    }

    [Fact]
    public async Task BadSizeAndUnknownModelAreBadInput()
    {
        using var temp = new TempDirectory();
        string onnx = Path.Combine(temp.Path, "x.onnx");

        var size = await CliRun.StartAsync("models", "export", "rnet", "--onnx", onnx, "--input-size", "24", "--home", TestPaths.ModelHome);
        var unknown = await CliRun.StartAsync("models", "export", "resnet", "--onnx", onnx, "--home", TestPaths.ModelHome);

        Assert.Equal(2, size.ExitCode);
        Assert.Contains("--input-size must look like 112x112", size.Stderr);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no model 'resnet'", unknown.Stderr);
    }

    [Fact]
    public async Task ConvertingABrokenEfm3FileIsAModelProblem()
    {
        using var temp = new TempDirectory();
        string efm3 = Path.Combine(temp.Path, "bad.efm3");
        await File.WriteAllBytesAsync(efm3, "EFM3"u8.ToArray());

        var run = await CliRun.StartAsync("models", "convert", efm3, "--out", Path.Combine(temp.Path, "x.fpm"));

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("truncated EFM3 file", run.Stderr);
    }
}
