using Faceprint.Detection;

namespace Faceprint.Liveness;

/// <summary>
/// The anti-spoofing outcome for one face: the score (lower is more likely live), the threshold it was judged at,
/// the sharpness of the crop, the verdict, and which of the network's eight leaves routed the face.
/// </summary>
/// <param name="Score">Σ |leaf score| · leaf mask: the chosen leaf's absolute output.</param>
/// <param name="Threshold">Scores below it count as live.</param>
/// <param name="Sharpness">Pixels of the 256×256 grey crop with a Laplacian response above the package's level.</param>
/// <param name="Verdict">Live, spoof, or too blurry to judge.</param>
/// <param name="Leaf">Index (0–7) of the leaf the network's routing chose.</param>
/// <param name="Crop">The square region of the photo the network saw.</param>
public sealed record LivenessResult(float Score, float Threshold, int Sharpness, LivenessVerdict Verdict, int Leaf, BoundingBox Crop)
{
    /// <summary>True when the verdict is <see cref="LivenessVerdict.Live"/>.</summary>
    public bool IsLive => Verdict == LivenessVerdict.Live;
}
