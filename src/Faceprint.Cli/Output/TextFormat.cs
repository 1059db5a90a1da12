using System.Globalization;
using Faceprint.Detection;

namespace Faceprint.Cli.Output;

/// <summary>Culture-invariant number formatting for the text output, so it reads the same on every machine.</summary>
internal static class TextFormat
{
    /// <summary>Landmark names in the detector's point order, as also used in the JSON.</summary>
    public static readonly IReadOnlyList<string> LandmarkNames = ["left_eye", "right_eye", "nose", "mouth_left", "mouth_right"];

    /// <summary>Formats with the invariant culture.</summary>
    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>"(x1, y1)-(x2, y2)" with one decimal.</summary>
    public static string Box(BoundingBox b) => Invariant($"({b.X1:F1}, {b.Y1:F1})-({b.X2:F1}, {b.Y2:F1})");

    /// <summary>"(x, y)" with one decimal.</summary>
    public static string Point(PointF p) => Invariant($"({p.X:F1}, {p.Y:F1})");

    /// <summary>A fraction as a percentage with two decimals.</summary>
    public static string Percent(double fraction) => Invariant($"{fraction * 100:F2}%");

    /// <summary>"1 face" / "3 faces".</summary>
    public static string Count(int n, string singular, string plural) => Invariant($"{n} {(n == 1 ? singular : plural)}");

    /// <summary>One text line per face: box and score, then the named landmarks.</summary>
    public static void WriteFace(TextWriter writer, int index, DetectedFace face)
    {
        writer.WriteLine(Invariant($"face {index}: box {Box(face.Box)}, score {face.Score:F3}"));
        var marks = face.Landmarks.Select((p, i) => $"{(i < LandmarkNames.Count ? LandmarkNames[i] : "point" + i)} {Point(p)}");
        writer.WriteLine("  " + string.Join("  ", marks));
    }
}
