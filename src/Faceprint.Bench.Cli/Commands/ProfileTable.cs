using Faceprint.Cli.Infrastructure;
using Spectre.Console;

namespace Faceprint.Bench.Cli.Commands;

/// <summary>The text form of <c>faceprint bench --profile</c>: one table per model, thread count and batch.</summary>
internal static class ProfileTable
{
    /// <summary>Writes the tables.</summary>
    public static void Write(CliOutput output, IReadOnlyList<ModelProfile> profiles)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output.Out),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 160;
        foreach (var p in profiles)
        {
            output.Out.WriteLine(FormattableString.Invariant(
                $"{p.Model}{(p.Int8 ? " int8" : "")}, {p.Threads} thread(s), batch {p.Batch}: {p.TotalMs:F2} ms per {(p.PerImage ? "image" : "run")}, mean of {p.Runs}"));
            var table = new Table().Border(TableBorder.Simple);
            foreach (var header in new[] { "layer type", "layers", "ms", "share %", "GFLOP/s" })
                table.AddColumn(new TableColumn(header).RightAligned());
            foreach (var t in p.Types)
                table.AddRow(t.Type, t.Layers.ToString(System.Globalization.CultureInfo.InvariantCulture), F(t.Ms, "F3"), F(100 * t.Share, "F1"), F(t.Gflops, "F1"));
            console.Write(table);
        }
    }

    private static string F(double? value, string format) => value is { } v ? v.ToString(format, System.Globalization.CultureInfo.InvariantCulture) : "";
}
