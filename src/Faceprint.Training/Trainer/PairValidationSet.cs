using Faceprint.Evaluation;
using Faceprint.Imaging;
using Faceprint.Preprocessing;
using Faceprint.Training.Data;
using static TorchSharp.torch;

namespace Faceprint.Training.Trainer;

/// <summary>
/// Labelled image pairs for validation during training, decoded once and held as network input. Scores are cosines of
/// L2-normalised embeddings of each image plus its mirror image (InsightFace's flip test), evaluated with the project's
/// 10-fold LFW protocol (<see cref="TenFoldEvaluator"/>).
/// </summary>
public sealed class PairValidationSet
{
    private readonly float[] _pixels;
    private readonly (int A, int B, bool Same, int? Fold)[] _pairs;
    private readonly int _images;

    private PairValidationSet(string name, float[] pixels, int images, (int, int, bool, int?)[] pairs, int imageSize)
    {
        Name = name;
        _pixels = pixels;
        _images = images;
        _pairs = pairs;
        ImageSize = imageSize;
    }

    /// <summary>Label for logs and the curve CSV.</summary>
    public string Name { get; }

    /// <summary>Number of pairs.</summary>
    public int PairCount => _pairs.Length;

    /// <summary>Side of the network input the images were prepared for.</summary>
    public int ImageSize { get; }

    /// <summary>Builds a set from decoded image pairs; folds are assigned round-robin by the evaluator.</summary>
    public static PairValidationSet FromImages(string name, IReadOnlyList<(RgbImage A, RgbImage B, bool Same)> pairs, int imageSize, InputNormalization normalization)
    {
        int per = 3 * imageSize * imageSize;
        var pixels = new float[2 * pairs.Count * per];
        var list = new (int, int, bool, int?)[pairs.Count];
        for (int i = 0; i < pairs.Count; i++)
        {
            PlanarPixels.Write(pairs[i].A, imageSize, normalization, false, pixels.AsSpan(2 * i * per, per));
            PlanarPixels.Write(pairs[i].B, imageSize, normalization, false, pixels.AsSpan((2 * i + 1) * per, per));
            list[i] = (2 * i, 2 * i + 1, pairs[i].Same, null);
        }
        return new PairValidationSet(name, pixels, 2 * pairs.Count, list, imageSize);
    }

    /// <summary>
    /// Loads an LFW-format pairs file whose images under <paramref name="root"/> are already aligned faces
    /// (e.g. an aligned LFW copy); its folds are kept.
    /// </summary>
    /// <exception cref="FaceprintException">The pairs file is malformed or an image cannot be read.</exception>
    public static PairValidationSet FromPairsFile(string pairsFile, string root, int imageSize, InputNormalization normalization, string imageExtension = ".jpg")
    {
        var specs = LfwPairsFile.Load(pairsFile, root, imageExtension);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in specs)
        {
            index.TryAdd(s.PathA, index.Count);
            index.TryAdd(s.PathB, index.Count);
        }
        int per = 3 * imageSize * imageSize;
        var pixels = new float[index.Count * per];
        Parallel.ForEach(index, entry =>
        {
            var image = ImageLoader.Decode(File.ReadAllBytes(entry.Key), sourceName: entry.Key);
            PlanarPixels.Write(image, imageSize, normalization, false, pixels.AsSpan(entry.Value * per, per));
        });
        var pairs = specs.Select(s => (index[s.PathA], index[s.PathB], s.Same, (int?)s.Fold)).ToArray();
        return new PairValidationSet(Path.GetFileName(pairsFile), pixels, index.Count, pairs, imageSize);
    }

    /// <summary>
    /// Loads an InsightFace validation <c>.bin</c> (aligned 112² images pair by pair). Folds are contiguous tenths of
    /// the file, as InsightFace's evaluation splits it (KFold without shuffling), which are LFW's original folds.
    /// </summary>
    /// <exception cref="FaceprintException">The file is not such a pickle or an image cannot be decoded.</exception>
    public static PairValidationSet FromBinFile(string path, int imageSize, InputNormalization normalization)
    {
        var (images, same) = ValidationBinFile.Load(path);
        int per = 3 * imageSize * imageSize;
        var pixels = new float[images.Count * per];
        string name = Path.GetFileName(path);
        Parallel.For(0, images.Count, i =>
            PlanarPixels.Write(ImageLoader.Decode(images[i], sourceName: $"{name} image {i}"), imageSize, normalization, false, pixels.AsSpan(i * per, per)));
        int folds = Math.Min(TenFoldEvaluator.DefaultFoldCount, same.Count);
        var pairs = same.Select((s, i) => (2 * i, 2 * i + 1, s, (int?)(int)((long)i * folds / same.Count))).ToArray();
        return new PairValidationSet(name, pixels, images.Count, pairs, imageSize);
    }

    /// <summary>Embeds every image with <paramref name="backbone"/> (in evaluation mode, restored after) and runs the 10-fold protocol.</summary>
    public VerificationResult Evaluate(nn.Module<Tensor, Tensor> backbone, Device device, int batchSize = 64)
    {
        var embeddings = Embed(backbone, device, batchSize);
        var scored = new ScoredPair[_pairs.Length];
        for (int i = 0; i < _pairs.Length; i++)
        {
            var (a, b, same, fold) = _pairs[i];
            scored[i] = new ScoredPair(Dot(embeddings[a], embeddings[b]), same, fold);
        }
        return TenFoldEvaluator.Evaluate(scored);
    }

    private float[][] Embed(nn.Module<Tensor, Tensor> backbone, Device device, int batchSize)
    {
        bool wasTraining = backbone.training;
        backbone.eval();
        try
        {
            using var _ = no_grad();
            int per = 3 * ImageSize * ImageSize;
            var result = new float[_images][];
            for (int start = 0; start < _images; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int n = Math.Min(batchSize, _images - start);
                var x = tensor(_pixels.AsSpan(start * per, n * per).ToArray(), [n, 3, ImageSize, ImageSize]).to(device);
                var sum = backbone.forward(x) + backbone.forward(x.flip(3));
                var unit = nn.functional.normalize(sum, dim: 1).to(CPU).contiguous();
                var values = unit.data<float>().ToArray();
                int d = (int)unit.shape[1];
                for (int i = 0; i < n; i++)
                    result[start + i] = values.AsSpan(i * d, d).ToArray();
            }
            return result;
        }
        finally
        {
            backbone.train(wasTraining);
        }
    }

    private static double Dot(float[] a, float[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
            s += a[i] * b[i];
        return s;
    }
}
