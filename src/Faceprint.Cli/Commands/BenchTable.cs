using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Output;
using Spectre.Console;

namespace Faceprint.Cli.Commands;

/// <summary>The text form of <c>faceprint bench</c>: one Spectre table row per model, thread count and batch.</summary>
internal static class BenchTable
{
    /// <summary>The speed goals of the fast-engine issue: engine/ORT at (batch, threads).</summary>
    private static readonly Dictionary<(int Batch, int Threads), double> Goals = new() { [(1, 1)] = 0.75, [(32, 2)] = 0.85 };

    /// <summary>The int8 issue's goals, at the same (batch, threads) cells: int8 engine/ORT int8 and int8/fp32 engine.</summary>
    private const double Int8OrtGoal = 0.6, Int8Fp32Goal = 0.5;

    /// <summary>FaceLiVT's goal at the same cells: the reparameterized network's time over its training form's.</summary>
    private const double ReparamTrainGoal = 0.9;

    /// <summary>Writes the table and how the peak was derived.</summary>
    public static void Write(CliOutput output, IReadOnlyList<BenchRow> rows, BenchMachine machine)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output.Out),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 176; // a pipe has no width; keep rows on one line
        var table = new Table().Border(TableBorder.Simple);
        foreach (var header in new[] { "model", "stage", "threads", "batch", "engine ms/face", "p90", "ORT ms/face", "p90", "engine/ORT", "GFLOP/s", "% peak", "max |diff|", "int8/fp32", "reparam/train" })
            table.AddColumn(new TableColumn(header).RightAligned());
        foreach (var r in rows)
            table.AddRow(r.Model, r.Stage, N(r.Threads), N(r.Batch), F(r.EngineMs, "F2"), F(r.EngineP90Ms, "F2"), F(r.OrtMs, "F2"), F(r.OrtP90Ms, "F2"),
                Ratio(r), F(r.Gflops, "F1"), F(r.PeakPercent, "F1"), F(r.MaxAbsDiff, "E1"), GoalRatio(r, r.Int8Fp32Ratio, Int8Fp32Goal), GoalRatio(r, r.ReparamTrainRatio, ReparamTrainGoal));
        console.Write(table);
        output.Out.WriteLine(machine.Describe());
        output.Out.WriteLine("goal: engine/ORT ≤ 0.75 at batch 1 with 1 thread, ≤ 0.85 at batch 32 with 2 threads (✓/✗ after the ratio)");
        foreach (var family in rows.Where(r => r.OrtGoal is not null).GroupBy(r => r.OrtGoal!.Value))
            output.Out.WriteLine(TextFormat.Invariant($"goal for {string.Join(", ", family.Select(r => r.Model).Distinct())}: engine/ORT ≤ {family.Key:0.0#} at both"));
        if (rows.Any(r => r.Int8Fp32Ratio is not null))
            output.Out.WriteLine("int8 rows: engine/ORT compares with ORT int8 (QDQ) and int8/fp32 with the fp32 engine; goals ≤ 0.6 and ≤ 0.5 at the same cells; their max |diff| is on raw, unnormalised embeddings, where the two engines may round a value between two codes differently");
        if (rows.Any(r => r.ReparamTrainRatio is not null))
            output.Out.WriteLine("reparam/train: the reparameterized network's time over its training form's on the same weights, the two interleaved; goal ≤ 0.9 at the same cells");
    }

    private static string Ratio(BenchRow r)
    {
        if (r.Ratio is not { } ratio) return "";
        string text = F(ratio, "F2");
        if (!Goals.TryGetValue((r.Batch, r.Threads), out double goal)) return text;
        if (r.Int8Fp32Ratio is not null) goal = Int8OrtGoal;
        else if (r.OrtGoal is { } familyGoal) goal = familyGoal;
        return text + (ratio <= goal ? " ✓" : " ✗");
    }

    private static string GoalRatio(BenchRow r, double? value, double goal)
    {
        if (value is not { } ratio) return "";
        string text = F(ratio, "F2");
        return Goals.ContainsKey((r.Batch, r.Threads)) ? text + (ratio <= goal ? " ✓" : " ✗") : text;
    }

    private static string N(int value) => TextFormat.Invariant($"{value}");

    private static string F(double? value, string format) => value is { } v ? v.ToString(format, System.Globalization.CultureInfo.InvariantCulture) : "";
}
