namespace Faceprint.Detection.BlazeFace;

/// <summary>One decoded detection in the input tensor's normalised coordinates ([0, 1] across the letterboxed square).</summary>
internal sealed class BlazeCandidate
{
    public float XMin, YMin, XMax, YMax, Score;

    /// <summary>Keypoints, interleaved x, y, in the model's order.</summary>
    public readonly float[] Keypoints = new float[2 * BlazeFaceSpec.Keypoints];

    public float Area => Math.Max(0, XMax - XMin) * Math.Max(0, YMax - YMin);

    /// <summary>Intersection over union.</summary>
    public float IoU(BlazeCandidate other)
    {
        float w = Math.Min(XMax, other.XMax) - Math.Max(XMin, other.XMin);
        float h = Math.Min(YMax, other.YMax) - Math.Max(YMin, other.YMin);
        if (w <= 0 || h <= 0) return 0;
        float inter = w * h;
        return inter / (Area + other.Area - inter);
    }
}
