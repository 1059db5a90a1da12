using System.Globalization;

namespace Faceprint.Evaluation;

/// <summary>
/// Reads an LFW <c>pairs.txt</c>: a header "folds pairsPerFold" (or a single "pairs" for one fold),
/// then, fold after fold, <c>pairsPerFold</c> matched lines "name i j" followed by
/// <c>pairsPerFold</c> mismatched lines "name1 i name2 j". Images resolve to <c>root/Name/Name_0001.jpg</c>.
/// </summary>
public static class LfwPairsFile
{
    /// <summary>Reads and parses <paramref name="pairsPath"/>, resolving images under <paramref name="lfwRoot"/>.</summary>
    /// <param name="pairsPath">The pairs file.</param>
    /// <param name="lfwRoot">Directory holding one sub-directory per person.</param>
    /// <param name="imageExtension">Extension of the image files, with its dot.</param>
    /// <returns>The pairs in file order; folds are 0-based.</returns>
    /// <exception cref="FaceprintException">The file cannot be read or is malformed.</exception>
    public static IReadOnlyList<PairSpec> Load(string pairsPath, string lfwRoot, string imageExtension = ".jpg")
    {
        try
        {
            using var reader = new StreamReader(pairsPath);
            return Parse(reader, lfwRoot, pairsPath, imageExtension);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FaceprintException($"cannot read pairs file '{pairsPath}': {e.Message}", e);
        }
    }

    /// <summary>Parses pairs-file text from <paramref name="reader"/>; see <see cref="Load"/>.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="lfwRoot">Directory holding one sub-directory per person.</param>
    /// <param name="sourceName">Name used in error messages.</param>
    /// <param name="imageExtension">Extension of the image files, with its dot.</param>
    /// <exception cref="FaceprintException">The text is malformed.</exception>
    public static IReadOnlyList<PairSpec> Parse(TextReader reader, string lfwRoot, string sourceName = "pairs.txt", string imageExtension = ".jpg")
    {
        var lineNumber = 0;
        FaceprintException Error(string message) => new($"{sourceName}:{lineNumber}: {message}");

        lineNumber = 1;
        var header = reader.ReadLine();
        if (header is null)
            throw Error("empty file, expected a header 'folds pairsPerFold' or 'pairs'");
        var headerFields = Split(header);
        int folds, perFold;
        switch (headerFields.Length)
        {
            case 1:
                folds = 1;
                perFold = ParsePositive(headerFields[0], "pair count in header", Error);
                break;
            case 2:
                folds = ParsePositive(headerFields[0], "fold count in header", Error);
                perFold = ParsePositive(headerFields[1], "pairs per fold in header", Error);
                break;
            default:
                throw Error($"expected a header 'folds pairsPerFold' or 'pairs', found '{header.Trim()}'");
        }

        long expected = 2L * folds * perFold;
        if (expected > int.MaxValue)
            throw Error($"header announces {expected} pairs, too many");

        var pairs = new List<PairSpec>((int)Math.Min(expected, 1 << 16));
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            var fields = Split(line);
            if (fields.Length == 0)
                continue; // blank lines, e.g. a trailing newline pair, carry no pair
            if (pairs.Count == expected)
                throw Error($"more pairs than the header announces ({folds} folds x 2 x {perFold})");

            var fold = pairs.Count / (2 * perFold);
            var matchedExpected = pairs.Count % (2 * perFold) < perFold;
            if (fields.Length is not (3 or 4))
                throw Error($"expected 'name i j' or 'name1 i name2 j', found {fields.Length} fields");
            var matched = fields.Length == 3;
            if (matched != matchedExpected)
                throw Error($"expected a {(matchedExpected ? "matched" : "mismatched")} pair here (fold {fold + 1}), found a {(matched ? "matched" : "mismatched")} one");

            if (matched)
            {
                var name = ParseName(fields[0], Error);
                var i = ParsePositive(fields[1], "image number", Error);
                var j = ParsePositive(fields[2], "image number", Error);
                pairs.Add(new PairSpec(ImagePath(lfwRoot, name, i, imageExtension), ImagePath(lfwRoot, name, j, imageExtension), true, fold));
            }
            else
            {
                var nameA = ParseName(fields[0], Error);
                var i = ParsePositive(fields[1], "image number", Error);
                var nameB = ParseName(fields[2], Error);
                var j = ParsePositive(fields[3], "image number", Error);
                pairs.Add(new PairSpec(ImagePath(lfwRoot, nameA, i, imageExtension), ImagePath(lfwRoot, nameB, j, imageExtension), false, fold));
            }
        }

        if (pairs.Count != expected)
            throw Error($"file ends after {pairs.Count} pairs, the header announces {expected} ({folds} folds x 2 x {perFold})");
        return pairs;
    }

    /// <summary>Path of image number <paramref name="index"/> (1-based) of <paramref name="name"/>: <c>root/Name/Name_0001.jpg</c>.</summary>
    /// <param name="lfwRoot">Directory holding one sub-directory per person.</param>
    /// <param name="name">Person name as written in LFW, e.g. <c>Aaron_Peirsol</c>.</param>
    /// <param name="index">1-based image number.</param>
    /// <param name="imageExtension">Extension of the image files, with its dot.</param>
    public static string ImagePath(string lfwRoot, string name, int index, string imageExtension = ".jpg")
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(index);
        return Path.Combine(lfwRoot, name, $"{name}_{index.ToString("D4", CultureInfo.InvariantCulture)}{imageExtension}");
    }

    private static string[] Split(string line) =>
        line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static int ParsePositive(string text, string what, Func<string, FaceprintException> error)
    {
        // NumberStyles.None: digits only, so "+3", "-1", "1e2" and "0x10" are all rejected.
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
            throw error($"{what} '{text}' is not a positive integer");
        return value;
    }

    private static string ParseName(string text, Func<string, FaceprintException> error)
    {
        // A name becomes a directory; refuse anything that could leave the LFW root.
        if (text is "." or ".." || text.IndexOfAny(['/', '\\']) >= 0 || text.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw error($"'{text}' is not a valid person name");
        return text;
    }
}
