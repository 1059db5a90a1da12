using System.Globalization;
using Faceprint.Detection;

namespace Faceprint.Cli.Output;

/// <summary>Culture-invariant number formatting for the text output, so it reads the same on every machine.</summary>
internal static class TextFormat
{
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
        string how = face.Detector == FaceDetectorKind.BlazeFace ? ", BlazeFace" : "";
        writer.WriteLine(Invariant($"face {index}: box {Box(face.Box)}, score {face.Score:F3}{how}{(face.FoundWithBorder ? ", found with a border" : "")}"));
        var names = LandmarkNames.For(face.Detector);
        var marks = face.Landmarks.Select((p, i) => $"{(i < names.Count ? names[i] : "point" + i)} {Point(p)}");
        writer.WriteLine("  " + string.Join("  ", marks));
    }
}
