namespace Faceprint.Detection.BlazeFace;

/// <summary>
/// MediaPipe's weighted ("blending") suppression: take the best remaining detection and every remaining one whose
/// IoU with it exceeds the threshold (itself included); emit the score-weighted mean of their box corners and
/// keypoints with the best one's score; repeat on the rest. Neighbouring anchors' votes steady the box and points.
/// </summary>
internal static class WeightedNonMaxSuppression
{
    public static List<BlazeCandidate> Apply(List<BlazeCandidate> candidates, float threshold)
    {
        var remaining = candidates.OrderByDescending(c => c.Score).ToList();
        var result = new List<BlazeCandidate>();
        var rest = new List<BlazeCandidate>(remaining.Count);
        while (remaining.Count > 0)
        {
            var best = remaining[0];
            var merged = new BlazeCandidate { Score = best.Score };
            float total = 0;
            rest.Clear();
            foreach (var c in remaining)
            {
                if (c.IoU(best) <= threshold && c != best)
                {
                    rest.Add(c);
                    continue;
                }
                total += c.Score;
                merged.XMin += c.XMin * c.Score;
                merged.YMin += c.YMin * c.Score;
                merged.XMax += c.XMax * c.Score;
                merged.YMax += c.YMax * c.Score;
                for (int k = 0; k < merged.Keypoints.Length; k++) merged.Keypoints[k] += c.Keypoints[k] * c.Score;
            }
            merged.XMin /= total;
            merged.YMin /= total;
            merged.XMax /= total;
            merged.YMax /= total;
            for (int k = 0; k < merged.Keypoints.Length; k++) merged.Keypoints[k] /= total;
            result.Add(merged);
            (remaining, rest) = (rest, remaining);
        }
        return result;
    }
}
