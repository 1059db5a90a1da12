using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Output;
using Spectre.Console;

namespace Faceprint.Cli.Commands;

/// <summary>The text form of the gallery section of <c>faceprint bench</c>.</summary>
internal static class GalleryBenchTable
{
    /// <summary>The in-memory latency goal of the gallery issue: 1M × 512-d, p50 on 2 threads.</summary>
    private const double GoalMs = 40;

    /// <summary>Writes one row per store, size and dimension, then why pgvector was skipped, if it was.</summary>
    public static void Write(CliOutput output, IReadOnlyList<GalleryBenchRow> rows, string? pgvectorSkipped)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output.Out),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 160;
        var table = new Table().Border(TableBorder.Simple);
        foreach (var header in new[] { "store", "templates", "dim", "threads", "probes", "p50 ms", "p99 ms", "cpu ms", "load s", "recall@1", "ef_search" })
            table.AddColumn(new TableColumn(header).RightAligned());
        foreach (var r in rows)
        {
            string p50 = TextFormat.Invariant($"{r.P50Ms:F2}");
            if (r.Store == "memory" && r.Templates == 1_000_000 && r.Dimension == 512 && r.Threads == 2)
                p50 += r.P50Ms <= GoalMs ? " ✓" : " ✗";
            table.AddRow(r.Store, TextFormat.Invariant($"{r.Templates}"), TextFormat.Invariant($"{r.Dimension}"), r.Threads is { } t ? TextFormat.Invariant($"{t}") : "",
                TextFormat.Invariant($"{r.Probes}"), p50, TextFormat.Invariant($"{r.P99Ms:F2}"), TextFormat.Invariant($"{r.CpuMs:F2}"), TextFormat.Invariant($"{r.LoadSeconds:F1}"),
                r.RecallAt1 is { } recall ? TextFormat.Invariant($"{recall:F3}") : "", r.EfSearch is { } ef ? TextFormat.Invariant($"{ef}") : "");
        }

        console.Write(table);
        output.Out.WriteLine(TextFormat.Invariant($"identify = top 10 people over random unit vectors, two templates per person; goal: memory 1M x 512-d p50 <= {GoalMs:F0} ms on 2 threads (✓/✗)"));
        if (rows.Any(r => r.Store == GalleryBench.PgvectorOnPglite))
            output.Out.WriteLine($"{GalleryBench.PgvectorOnPglite}: pgvector on PGlite (PostgreSQL in WebAssembly, one thread; no system PostgreSQL with pgvector here), not a measure of native PostgreSQL");
        if (pgvectorSkipped is not null)
            output.Out.WriteLine($"pgvector skipped: {pgvectorSkipped}");
    }
}
