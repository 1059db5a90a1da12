namespace Faceprint.Detection.BlazeFace;

/// <summary>
/// Turns the raw outputs into candidates the way MediaPipe's tensors-to-detections step does for these models:
/// the regressor holds x, y, w, h of the box centre and size, then (x, y) per keypoint, in input pixels relative to
/// the anchor centre (scale = input side, anchor size 1); the score is the sigmoid of the logit clipped to ±100.
/// Boxes under the minimum score, or with a negative or NaN size, are dropped.
/// </summary>
internal static class BlazeFaceDecoder
{
    public static void Decode(ReadOnlySpan<float> regressors, ReadOnlySpan<float> logits, float[] anchors, BlazeFaceSpec spec,
        float minScore, List<BlazeCandidate> into)
    {
        int boxes = anchors.Length / 2;
        float scale = spec.InputSize;
        // Comparing logits avoids an exp per anchor: the sigmoid is monotonic.
        float minLogit = minScore <= 0 ? float.NegativeInfinity : minScore >= 1 ? float.PositiveInfinity : MathF.Log(minScore / (1 - minScore));
        for (int i = 0; i < boxes; i++)
        {
            float logit = Math.Clamp(logits[i], -BlazeFaceSpec.ScoreClip, BlazeFaceSpec.ScoreClip);
            if (logit < minLogit) continue;
            float score = 1f / (1f + MathF.Exp(-logit));
            if (score < minScore) continue;
            var r = regressors.Slice(i * BlazeFaceSpec.Coordinates, BlazeFaceSpec.Coordinates);
            float ax = anchors[2 * i], ay = anchors[2 * i + 1];
            float cx = r[0] / scale + ax, cy = r[1] / scale + ay, w = r[2] / scale, h = r[3] / scale;
            if (!(w >= 0) || !(h >= 0)) continue;
            var c = new BlazeCandidate { XMin = cx - w / 2, YMin = cy - h / 2, XMax = cx + w / 2, YMax = cy + h / 2, Score = score };
            for (int k = 0; k < BlazeFaceSpec.Keypoints; k++)
            {
                c.Keypoints[2 * k] = r[4 + 2 * k] / scale + ax;
                c.Keypoints[2 * k + 1] = r[5 + 2 * k] / scale + ay;
            }
            into.Add(c);
        }
    }
}
