using System.Text.Json;
using Faceprint.Tests.Cli;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Bench;

/// <summary><c>faceprint bench --int8</c>: an int8 row after each fp32 row, against ORT int8 (QDQ) and the fp32 engine.</summary>
[Collection(DefaultModelsCollection.Name)]
public sealed class Int8BenchCommandTests
{
    /// <summary>Takes the fixture so the models are pulled and converted before the first run.</summary>
    public Int8BenchCommandTests(DefaultModelsFixture models) => _ = models;

    [Fact]
    public async Task Int8RowsFollowTheFp32RowsWithBothRatios()
    {
        var run = await CliRun.StartAsync("bench", "--int8", "--models", "facex-nano", "--threads", "1", "--batches", "1", "--runs", "2",
            "--json", "--home", TestPaths.ModelHome);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(["embed", "embed int8"], rows.Select(r => r.GetProperty("stage").GetString()));
        Assert.False(rows[0].TryGetProperty("int8_fp32_ratio", out _));
        var int8 = rows[1];
        double engine = int8.GetProperty("engine_ms").GetDouble(), ort = int8.GetProperty("ort_ms").GetDouble();
        Assert.Equal(engine / ort, int8.GetProperty("ratio").GetDouble(), 1e-9);
        Assert.True(int8.GetProperty("int8_fp32_ratio").GetDouble() > 0);
        // ORT on the QDQ export computes the same quantized network (codes may differ at exact rounding ties).
        Assert.InRange(int8.GetProperty("max_abs_diff").GetDouble(), 0, 0.5);
    }
}
