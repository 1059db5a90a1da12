namespace Faceprint.Detection;

/// <summary>How overlap is measured: intersection over union, or over the smaller box.</summary>
internal enum OverlapMeasure { Union, Min }

/// <summary>Greedy non-maximum suppression: keep the best-scoring box, drop those overlapping it too much.</summary>
internal static class NonMaxSuppression
{
    public static List<Candidate> Apply(List<Candidate> boxes, float threshold, OverlapMeasure measure)
    {
        var sorted = boxes.OrderByDescending(b => b.Score).ToList();
        var kept = new List<Candidate>(sorted.Count);
        var removed = new bool[sorted.Count];
        for (int i = 0; i < sorted.Count; i++)
        {
            if (removed[i]) continue;
            var a = sorted[i];
            kept.Add(a);
            for (int j = i + 1; j < sorted.Count; j++)
            {
                if (removed[j]) continue;
                if (Overlap(a, sorted[j], measure) >= threshold) removed[j] = true;
            }
        }
        return kept;
    }

    internal static float Overlap(Candidate a, Candidate b, OverlapMeasure measure)
    {
        float w = Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1) + 1;
        float h = Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1) + 1;
        if (w <= 0 || h <= 0) return 0;
        float inter = w * h;
        return measure == OverlapMeasure.Union ? inter / (a.Area + b.Area - inter) : inter / Math.Min(a.Area, b.Area);
    }
}
