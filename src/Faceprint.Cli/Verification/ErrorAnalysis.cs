using System.CommandLine;
using System.Globalization;
using System.Text;
using Faceprint.Cli.Output;
using Faceprint.Detection;
using Faceprint.Engine;
using Faceprint.Evaluation;
using Faceprint.Imaging;

namespace Faceprint.Cli.Verification;

/// <summary>
/// <c>--errors DIR</c> of the eval commands: <c>errors.csv</c> with every misclassified or unscored pair, and contact
/// sheets showing each such pair's photos with their detected faces and the aligned crops that were embedded.
/// </summary>
internal static class ErrorAnalysis
{
    private const int RowsPerSheet = 20, MaxSheets = 5;

    /// <summary>The <c>--errors DIR</c> option.</summary>
    public static Option<string?> Option() => new("--errors")
    {
        Description = "Write errors.csv and contact-sheet PNGs of the misclassified and unscored pairs into this folder",
        HelpName = "DIR",
    };

    /// <summary>The <c>--scores FILE</c> option.</summary>
    public static Option<string?> ScoresOption() => new("--scores")
    {
        Description = "Write every pair's score to this CSV file (pair, fold, same, score; empty score: no face)",
        HelpName = "FILE",
    };

    /// <summary>Writes every pair's fold, label and score as CSV.</summary>
    public static async Task WriteScoresAsync(string path, IReadOnlyList<ScoredPair> scored, CancellationToken ct)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder) Directory.CreateDirectory(folder);
        var csv = new StringBuilder("pair,fold,same,score\n");
        for (int i = 0; i < scored.Count; i++)
            csv.Append(TextFormat.Invariant($"{i},{scored[i].Fold},{(scored[i].Same ? 1 : 0)},{Score(scored[i])}\n"));
        await File.WriteAllTextAsync(path, csv.ToString(), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Pairs to report, worst first: unscored ones, then misclassified ones by how far their score is on the wrong side
    /// of <paramref name="threshold"/> (a pair counts as "same" above it, as in the evaluator).
    /// </summary>
    public static IReadOnlyList<int> Select(IReadOnlyList<ScoredPair> scored, double threshold) =>
        Enumerable.Range(0, scored.Count)
            .Where(i => scored[i].Score is not { } s || (s > threshold) != scored[i].Same)
            .OrderBy(i => scored[i].Score is null ? 0 : 1)
            .ThenByDescending(i => scored[i].Score is { } s ? Math.Abs(s - threshold) : 0)
            .ThenBy(i => i)
            .ToList();

    /// <summary>Writes the analysis of an <c>eval pairs</c> run: photos are loaded and detected again for the sheets.</summary>
    public static async Task<ErrorsJson> WritePairsAsync(
        string folder, FaceEngine engine, IReadOnlyList<PairSpec> specs, IReadOnlyList<ScoredPair> scored,
        IReadOnlyDictionary<string, ImageOutcome> outcomes, double threshold, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var errors = Select(scored, threshold);
        var csv = new StringBuilder("pair,fold,same,score,error,path_a,faces_a,face_index_a,box_a,path_b,faces_b,face_index_b,box_b\n");
        foreach (int i in errors)
        {
            var (spec, pair) = (specs[i], scored[i]);
            csv.Append(TextFormat.Invariant($"{i},{spec.Fold},{(spec.Same ? 1 : 0)},{Score(pair)},{Kind(pair, outcomes[spec.PathA], outcomes[spec.PathB])},"));
            csv.Append(TextFormat.Invariant($"{Image(spec.PathA, outcomes[spec.PathA])},{Image(spec.PathB, outcomes[spec.PathB])}\n"));
        }
        string csvPath = Path.Combine(folder, "errors.csv");
        await File.WriteAllTextAsync(csvPath, csv.ToString(), ct).ConfigureAwait(false);

        var sheets = await WriteSheetsAsync(folder, errors, async i =>
        {
            var (spec, pair) = (specs[i], scored[i]);
            var tiles = new List<SheetTile>();
            foreach (var path in new[] { spec.PathA, spec.PathB })
                tiles.AddRange(await PhotoTilesAsync(engine, path, outcomes[path], ct).ConfigureAwait(false));
            return new SheetRow(TextFormat.Invariant($"#{i} {(spec.Same ? "same" : "different")}  score {Score(pair)}  {Path.GetFileName(spec.PathA)} | {Path.GetFileName(spec.PathB)}"), tiles);
        }).ConfigureAwait(false);
        return Summary(errors, scored, threshold, csvPath, sheets);
    }

    /// <summary>Writes the analysis of an <c>eval bin</c> run, whose images are already aligned (two per pair, in order).</summary>
    public static async Task<ErrorsJson> WriteAlignedAsync(
        string folder, IReadOnlyList<RgbImage?> images, IReadOnlyList<ScoredPair> scored, double threshold, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var errors = Select(scored, threshold);
        var csv = new StringBuilder("pair,fold,same,score,error,image_a,image_b\n");
        foreach (int i in errors)
        {
            string kind = scored[i].Score is null ? "unreadable" : scored[i].Same ? "false_reject" : "false_accept";
            csv.Append(TextFormat.Invariant($"{i},{scored[i].Fold},{(scored[i].Same ? 1 : 0)},{Score(scored[i])},{kind},{2 * i},{2 * i + 1}\n"));
        }
        string csvPath = Path.Combine(folder, "errors.csv");
        await File.WriteAllTextAsync(csvPath, csv.ToString(), ct).ConfigureAwait(false);
        var sheets = await WriteSheetsAsync(folder, errors, i => Task.FromResult(new SheetRow(
            TextFormat.Invariant($"#{i} {(scored[i].Same ? "same" : "different")}  score {Score(scored[i])}"),
            [new SheetTile(images[2 * i], []), new SheetTile(images[2 * i + 1], [])]))).ConfigureAwait(false);
        return Summary(errors, scored, threshold, csvPath, sheets);
    }

    private static ErrorsJson Summary(IReadOnlyList<int> errors, IReadOnlyList<ScoredPair> scored, double threshold, string csv, IReadOnlyList<string> sheets)
    {
        int unscored = errors.Count(i => scored[i].Score is null);
        return new ErrorsJson(threshold, errors.Count - unscored, unscored, csv, sheets);
    }

    /// <summary>Sheets of <see cref="RowsPerSheet"/> rows for the first pairs in <paramref name="errors"/> (at most <see cref="MaxSheets"/>).</summary>
    private static async Task<IReadOnlyList<string>> WriteSheetsAsync(string folder, IReadOnlyList<int> errors, Func<int, Task<SheetRow>> row)
    {
        var paths = new List<string>();
        for (int sheet = 0; sheet < MaxSheets && sheet * RowsPerSheet < errors.Count; sheet++)
        {
            var rows = new List<SheetRow>();
            foreach (int i in errors.Skip(sheet * RowsPerSheet).Take(RowsPerSheet))
                rows.Add(await row(i).ConfigureAwait(false));
            string path = Path.Combine(folder, TextFormat.Invariant($"errors-{sheet + 1:D2}.png"));
            ContactSheet.Write(path, rows);
            paths.Add(path);
        }
        return paths;
    }

    /// <summary>The photo with every detected face (the subject highlighted) and the subject's aligned crop.</summary>
    private static async Task<IEnumerable<SheetTile>> PhotoTilesAsync(FaceEngine engine, string path, ImageOutcome outcome, CancellationToken ct)
    {
        if (outcome.Failure is not null) return [new SheetTile(null, [])];
        var image = await engine.LoadImageAsync(path, ct).ConfigureAwait(false);
        var faces = engine.Detect(image, ct);
        var boxes = faces.Select(f => f.Box).ToList();
        if (outcome.Subject is not { } subject) return [new SheetTile(image, boxes)];
        return [new SheetTile(image, boxes, subject.FaceIndex), new SheetTile(engine.Align(image, subject.Face), [])];
    }

    private static string Kind(ScoredPair pair, ImageOutcome a, ImageOutcome b) =>
        pair.Score is not null ? (pair.Same ? "false_reject" : "false_accept")
        : a.Failure is not null || b.Failure is not null ? "unreadable" : "no_face";

    private static string Image(string path, ImageOutcome outcome)
    {
        string box = outcome.Subject is { } s ? TextFormat.Invariant($"{s.Face.Box.X1:F0} {s.Face.Box.Y1:F0} {s.Face.Box.X2:F0} {s.Face.Box.Y2:F0}") : "";
        return TextFormat.Invariant($"{Csv(path)},{outcome.Subject?.FacesFound ?? 0},{(outcome.Subject is { } f ? f.FaceIndex.ToString(CultureInfo.InvariantCulture) : "")},{box}");
    }

    private static string Score(ScoredPair pair) => pair.Score is { } s ? s.ToString("F4", CultureInfo.InvariantCulture) : "";

    private static string Csv(string value) => value.IndexOfAny([',', '"', '\n']) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
}
