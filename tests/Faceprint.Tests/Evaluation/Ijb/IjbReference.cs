using Faceprint.Alignment;
using Faceprint.Engine;
using Faceprint.Evaluation.Ijb;
using Faceprint.Imaging;

namespace Faceprint.Tests.Evaluation.Ijb;

/// <summary>
/// The IJB 1:1 protocol computed the plain way, independently of the library's run: every image embedded alone
/// (and its mirror image, flipped here), features kept in full, grouped with dictionaries, scored, and TAR at FAR read
/// off by trying every score as a threshold.
/// </summary>
internal static class IjbReference
{
    /// <summary>Cosine score of every pair of <paramref name="tree"/>, in order.</summary>
    public static async Task<double[]> ScoresAsync(FaceEngine engine, IjbTree tree, bool flip, bool normScore, bool detectorScore)
    {
        int d = engine.EmbeddingSize;
        var media = new Dictionary<int, Dictionary<int, List<double[]>>>();
        foreach (var entry in tree.Images.Where(i => i.Template != IjbTree.UnpairedTemplate))
        {
            var photo = await ImageLoader.LoadAsync(tree.Layout.ImagePath(entry.Name));
            var crop = FaceAligner.Align(photo, entry.Landmarks);
            var raw = Raw(engine, crop);
            var feature = raw.Select(x => (double)x).ToArray();
            if (flip)
            {
                var mirrored = Raw(engine, Mirror(crop));
                for (int i = 0; i < d; i++) feature[i] += mirrored[i];
            }
            if (!normScore)
            {
                double norm = Math.Sqrt(feature.Sum(x => x * x));
                for (int i = 0; i < d; i++) feature[i] /= norm;
            }
            if (detectorScore)
                for (int i = 0; i < d; i++) feature[i] *= entry.Score;
            if (!media.TryGetValue(entry.Template, out var byMedia)) media[entry.Template] = byMedia = [];
            if (!byMedia.TryGetValue(entry.Media, out var list)) byMedia[entry.Media] = list = [];
            list.Add(feature);
        }

        var templates = media.ToDictionary(t => t.Key, t =>
        {
            var sum = new double[d];
            foreach (var frames in t.Value.Values)
                for (int i = 0; i < d; i++) sum[i] += frames.Average(f => f[i]);
            double norm = Math.Sqrt(sum.Sum(x => x * x));
            return sum.Select(x => x / norm).ToArray();
        });
        return tree.Pairs.Select(p => templates[p.Template1].Zip(templates[p.Template2], (a, b) => a * b).Sum()).ToArray();
    }

    /// <summary>The highest TAR over thresholds "accept when score &gt; s" (s each score, or −∞) whose FAR is at most <paramref name="far"/>.</summary>
    public static double TarAtFar(double[] scores, IReadOnlyList<IjbTemplatePair> pairs, double far)
    {
        int positives = pairs.Count(p => p.Same), negatives = pairs.Count - positives;
        double best = 0;
        foreach (double s in scores.Append(double.NegativeInfinity))
        {
            int tp = 0, fp = 0;
            for (int i = 0; i < scores.Length; i++)
                if (scores[i] > s)
                {
                    if (pairs[i].Same) tp++;
                    else fp++;
                }
            if ((double)fp / negatives <= far) best = Math.Max(best, (double)tp / positives);
        }
        return best;
    }

    private static float[] Raw(FaceEngine engine, RgbImage crop)
    {
        var raw = new float[engine.EmbeddingSize];
        engine.EmbedAlignedRaw([crop], raw);
        return raw;
    }

    private static RgbImage Mirror(RgbImage image)
    {
        var mirrored = new RgbImage(image.Width, image.Height);
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
                for (int c = 0; c < 3; c++)
                    mirrored.Pixels[(y * image.Width + x) * 3 + c] = image.Pixels[(y * image.Width + image.Width - 1 - x) * 3 + c];
        return mirrored;
    }
}
