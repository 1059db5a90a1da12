namespace Faceprint.Models.Reparameterization;

/// <summary>
/// Folds a residual identity x + dwconv(x) into the depthwise conv: the identity is a depthwise kernel with 1
/// at the centre tap, so adding it there leaves one conv (valid for stride 1 and "same" padding only).
/// </summary>
internal static class IdentityFolding
{
    /// <summary>A copy of the depthwise weight [c, 1, k, k] with 1 added at each channel's centre tap.</summary>
    public static float[] IntoDepthwiseCentre(ReadOnlySpan<float> weight, int kernel)
    {
        if (kernel % 2 == 0) throw new ArgumentException("an even kernel has no centre tap");
        var folded = weight.ToArray();
        int taps = kernel * kernel, centre = kernel / 2 * kernel + kernel / 2;
        for (int c = 0; c < folded.Length / taps; c++) folded[c * taps + centre] += 1f;
        return folded;
    }
}
