using System.Globalization;
using Faceprint.Detection;

namespace Faceprint.Evaluation.Ijb;

/// <summary>
/// Reads the three meta files of an IJB release. Fields are separated by spaces (tabs are accepted too) and blank lines
/// are skipped; any other deviation is an <see cref="IjbMetaFormatException"/> naming the file and line.
/// </summary>
public static class IjbMetaReader
{
    private static readonly char[] Separators = [' ', '\t'];

    /// <summary>
    /// Reads the protocol of <paramref name="layout"/>. The landmarks and template/media files are joined line by line,
    /// as the reference evaluation does, and each line's image name must agree in both.
    /// </summary>
    /// <exception cref="IjbMetaFormatException">A line is malformed, the two image lists disagree, or a pair names an unknown template.</exception>
    /// <exception cref="FaceprintException">A meta file is missing.</exception>
    public static async Task<IjbProtocol> LoadAsync(IjbLayout layout, CancellationToken ct = default)
    {
        var landmarks = await ReadLandmarksAsync(layout.LandmarksFile, ct).ConfigureAwait(false);
        var images = await ReadTemplateMediaAsync(layout.TemplateMediaFile, layout.LandmarksFile, landmarks, ct).ConfigureAwait(false);
        var templates = images.Select(i => i.Template).ToHashSet();
        var pairs = await ReadPairsAsync(layout.PairsFile, layout.TemplateMediaFile, templates, ct).ConfigureAwait(false);
        return new IjbProtocol(images, pairs);
    }

    private static async Task<List<(string Name, PointF[] Points, float Score, int Line)>> ReadLandmarksAsync(string file, CancellationToken ct)
    {
        var rows = new List<(string, PointF[], float, int)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var (line, fields) in LinesAsync(file, ct).ConfigureAwait(false))
        {
            if (fields.Length != 12)
                throw new IjbMetaFormatException(file, line, $"expected 12 fields (image name, 10 landmark coordinates, detector score), got {fields.Length}");
            if (!seen.TryAdd(fields[0], line))
                throw new IjbMetaFormatException(file, line, $"image '{fields[0]}' is listed twice (first on line {seen[fields[0]]})");
            var points = new PointF[5];
            for (int k = 0; k < 5; k++)
                points[k] = new PointF(ParseFloat(file, line, fields[1 + 2 * k], "landmark"), ParseFloat(file, line, fields[2 + 2 * k], "landmark"));
            rows.Add((fields[0], points, ParseFloat(file, line, fields[11], "detector score"), line));
        }
        return rows;
    }

    private static async Task<List<IjbImage>> ReadTemplateMediaAsync(string file, string landmarksFile,
        List<(string Name, PointF[] Points, float Score, int Line)> landmarks, CancellationToken ct)
    {
        var images = new List<IjbImage>(landmarks.Count);
        int lastLine = 0;
        await foreach (var (line, fields) in LinesAsync(file, ct).ConfigureAwait(false))
        {
            lastLine = line;
            if (fields.Length != 3)
                throw new IjbMetaFormatException(file, line, $"expected 3 fields (image name, template id, media id), got {fields.Length}");
            if (images.Count == landmarks.Count)
                throw new IjbMetaFormatException(file, line, $"more images than the {landmarks.Count} of {Path.GetFileName(landmarksFile)}");
            var row = landmarks[images.Count];
            if (!string.Equals(fields[0], row.Name, StringComparison.Ordinal))
                throw new IjbMetaFormatException(file, line, $"image '{fields[0]}' here, but '{row.Name}' in the same place of {Path.GetFileName(landmarksFile)} (line {row.Line})");
            images.Add(new IjbImage(row.Name, row.Points, row.Score, ParseInt(file, line, fields[1], "template id"), ParseInt(file, line, fields[2], "media id")));
        }
        if (images.Count < landmarks.Count)
            throw new IjbMetaFormatException(file, lastLine + 1, $"ends after {images.Count} images, but {Path.GetFileName(landmarksFile)} lists {landmarks.Count}");
        return images;
    }

    private static async Task<List<IjbTemplatePair>> ReadPairsAsync(string file, string templateFile, HashSet<int> templates, CancellationToken ct)
    {
        var pairs = new List<IjbTemplatePair>();
        await foreach (var (line, fields) in LinesAsync(file, ct).ConfigureAwait(false))
        {
            if (fields.Length != 3)
                throw new IjbMetaFormatException(file, line, $"expected 3 fields (template id, template id, label), got {fields.Length}");
            int t1 = ParseInt(file, line, fields[0], "template id"), t2 = ParseInt(file, line, fields[1], "template id");
            bool same = fields[2] switch
            {
                "1" => true,
                "0" => false,
                _ => throw new IjbMetaFormatException(file, line, $"label must be 1 (same subject) or 0 (different), got '{fields[2]}'"),
            };
            foreach (int t in (ReadOnlySpan<int>)[t1, t2])
                if (!templates.Contains(t))
                    throw new IjbMetaFormatException(file, line, $"template {t} has no image in {Path.GetFileName(templateFile)}");
            pairs.Add(new IjbTemplatePair(t1, t2, same));
        }
        if (pairs.Count == 0)
            throw new IjbMetaFormatException(file, 1, "no template pairs");
        return pairs;
    }

    /// <summary>The non-blank lines of <paramref name="file"/> with their 1-based numbers, split into fields.</summary>
    private static async IAsyncEnumerable<(int Line, string[] Fields)> LinesAsync(string file, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        if (!File.Exists(file))
            throw new FaceprintException($"IJB meta file not found: {file}");
        using var reader = new StreamReader(file);
        int number = 0;
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } text)
        {
            number++;
            var fields = text.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 0)
                yield return (number, fields);
        }
    }

    private static float ParseFloat(string file, int line, string field, string what)
    {
        if (!float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
            throw new IjbMetaFormatException(file, line, $"{what} '{field}' is not a finite number");
        return value;
    }

    private static int ParseInt(string file, int line, string field, string what)
    {
        if (!int.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
            throw new IjbMetaFormatException(file, line, $"{what} '{field}' is not an integer");
        return value;
    }
}
