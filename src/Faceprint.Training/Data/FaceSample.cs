using Faceprint.Imaging;

namespace Faceprint.Training.Data;

/// <summary>One training image with its class.</summary>
/// <param name="Image">The decoded (aligned) face.</param>
/// <param name="Label">Class index in [0, class count).</param>
public sealed record FaceSample(RgbImage Image, int Label);
