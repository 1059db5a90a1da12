using Faceprint.Detection;
using Faceprint.Preprocessing;

namespace Faceprint.Alignment;

/// <summary>
/// Least-squares similarity transform (rotation, uniform scale, translation; no reflection) mapping
/// source points onto destination points — Umeyama (1991), which for 2-D reduces to closed form.
/// </summary>
public static class SimilarityTransform
{
    /// <summary>The transform T minimising Σ‖T(src_i) − dst_i‖².</summary>
    public static AffineTransform Estimate(IReadOnlyList<PointF> source, IReadOnlyList<PointF> destination)
    {
        if (source.Count != destination.Count || source.Count < 2)
            throw new ArgumentException("need at least two point pairs of equal count");
        int n = source.Count;
        double sx = 0, sy = 0, dx = 0, dy = 0;
        for (int i = 0; i < n; i++)
        {
            sx += source[i].X; sy += source[i].Y;
            dx += destination[i].X; dy += destination[i].Y;
        }
        sx /= n; sy /= n; dx /= n; dy /= n;
        // With centred points, the optimum is a = Σ(s·d)/Σ|s|², b = Σ(s×d)/Σ|s|² where T = [[a, −b], [b, a]].
        double dot = 0, cross = 0, norm = 0;
        for (int i = 0; i < n; i++)
        {
            double px = source[i].X - sx, py = source[i].Y - sy;
            double qx = destination[i].X - dx, qy = destination[i].Y - dy;
            dot += px * qx + py * qy;
            cross += px * qy - py * qx;
            norm += px * px + py * py;
        }
        if (norm < 1e-9) throw new ArgumentException("source points coincide");
        double a = dot / norm, b = cross / norm;
        return new AffineTransform(a, -b, dx - (a * sx - b * sy), b, a, dy - (b * sx + a * sy));
    }
}
