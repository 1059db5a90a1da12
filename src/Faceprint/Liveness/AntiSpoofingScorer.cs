using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;
using Faceprint.Detection;
using Faceprint.Imaging;
using Faceprint.Import.TfLite;
using Faceprint.Preprocessing;

namespace Faceprint.Liveness;

/// <summary>
/// Scores how likely a detected face is a live person rather than a presentation attack (print, screen, mask) with
/// the default package's anti-spoofing network, run on the engine from its TFLite graph. The network is a tree:
/// every image is routed to one of eight leaves, and it outputs one score per leaf plus a 0/1 mask of the chosen
/// leaf; the package's score is Σ |leaf score|·mask. The face's square crop (<see cref="LivenessCrop"/>) is scaled
/// to 256×256 RGB with values in [0, 1], as the package does. Thread-safe: each call rents its own session.
/// </summary>
public sealed class AntiSpoofingScorer
{
    /// <summary>Pixel values / 255: the package divides each channel by 255 and subtracts nothing.</summary>
    private static readonly InputNormalization Norm = new(0f, 255f);

    private const int Leaves = 8;
    private readonly SessionPool _pool;

    /// <summary>Creates the scorer over <paramref name="network"/>, the engine graph of <see cref="AntiSpoofingModel.FileName"/>.</summary>
    /// <exception cref="ModelFormatException">The network does not have the two eight-value outputs of the tree.</exception>
    public AntiSpoofingScorer(Network network, int threads = 1, float threshold = AntiSpoofingModel.Threshold)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!float.IsFinite(threshold)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "threshold must be finite");
        var shapes = network.InferShapes(new TensorShape(1, AntiSpoofingModel.InputSize, AntiSpoofingModel.InputSize, 3));
        if (network.Outputs.Count != 2 || network.Outputs.Any(o => shapes[o].PerImage != Leaves))
            throw new ModelFormatException($"{network.Name}: expected two outputs of {Leaves} values (leaf scores, leaf mask)");
        _pool = new SessionPool(network, threads);
        Threshold = threshold;
    }

    /// <summary>Loads the TFLite file (see <see cref="AntiSpoofingModel.EnsureAsync"/>) onto the engine.</summary>
    public static AntiSpoofingScorer Load(string path, int threads = 1, float threshold = AntiSpoofingModel.Threshold) =>
        new(TfLiteImporter.ImportGraph(path), threads, threshold);

    /// <summary>Scores below this count as live.</summary>
    public float Threshold { get; }

    /// <summary>Scores one detected face of <paramref name="image"/>.</summary>
    public LivenessResult Score(RgbImage image, DetectedFace face)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(face);
        var crop = LivenessCrop.Square(face.Box, image.Width, image.Height);
        int side = AntiSpoofingModel.InputSize;
        using var lease = _pool.Rent();
        var session = lease.Session;
        var input = session.PrepareInput(new TensorShape(1, side, side, 3));
        InputSampler.ResizeRegion(image, crop.X1, crop.Y1, crop.Width, crop.Height, side, side, Norm, transpose: false, input);
        int sharpness = SharpnessMeter.Count(input, side);
        session.Run();
        // The file's output order: Identity (leaf scores), then Identity_1 (leaf mask), the names the package reads.
        var (score, leaf) = Combine(session.Output(0), session.Output(1));
        var verdict = sharpness < AntiSpoofingModel.MinSharpness ? LivenessVerdict.Blurry
            : score < Threshold ? LivenessVerdict.Live : LivenessVerdict.Spoof;
        return new LivenessResult(score, Threshold, sharpness, verdict, leaf, crop);
    }

    /// <summary>The package's score, Σ |scores[i]|·mask[i], and the leaf with the largest mask value.</summary>
    public static (float Score, int Leaf) Combine(ReadOnlySpan<float> scores, ReadOnlySpan<float> mask)
    {
        if (scores.Length != mask.Length || scores.Length == 0) throw new ArgumentException("scores and mask must be equally long and non-empty");
        float score = 0;
        int leaf = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            score += MathF.Abs(scores[i]) * mask[i];
            if (mask[i] > mask[leaf]) leaf = i;
        }
        return (score, leaf);
    }
}
