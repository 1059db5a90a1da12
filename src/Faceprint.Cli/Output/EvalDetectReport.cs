namespace Faceprint.Cli.Output;

/// <summary>JSON of <c>faceprint eval detect</c>.</summary>
internal sealed record EvalDetectReport(
    string Root, int Photos, int Unreadable, DetectionStatsJson PhotoDetection, DetectionStatsJson? TightCropDetection, IReadOnlyList<FailedImageJson> FailedImages);

/// <summary>
/// Detection over one set of images: how many had no face, how many faces were found only on the retry with a border
/// around the image, and the mean detection time per image (CPU time of the calls, across threads).
/// </summary>
internal sealed record DetectionStatsJson(int Images, int NoFace, double NoFaceRate, int FoundWithBorder, double MeanDetectMs, IReadOnlyList<string> NoFaceImages);

/// <summary>The readable text form of an <see cref="EvalDetectReport"/>.</summary>
internal static class EvalDetectReportText
{
    /// <summary>Writes the summary, then the images without a face.</summary>
    public static void Write(TextWriter w, EvalDetectReport r)
    {
        w.WriteLine(TextFormat.Invariant($"photos:          {r.Photos} under {r.Root}, {r.Unreadable} unreadable"));
        Write(w, "photos", r.PhotoDetection);
        if (r.TightCropDetection is { } crops) Write(w, "tight crops", crops);
    }

    private static void Write(TextWriter w, string label, DetectionStatsJson s)
    {
        w.WriteLine(TextFormat.Invariant($"{(label + ":").PadRight(17)}{s.Images} images, {s.NoFace} without a face ({TextFormat.Percent(s.NoFaceRate)}), {s.FoundWithBorder} found with a border, {s.MeanDetectMs:F1} ms per image"));
        foreach (var path in s.NoFaceImages) w.WriteLine(TextFormat.Invariant($"  no face: {path}"));
    }
}
