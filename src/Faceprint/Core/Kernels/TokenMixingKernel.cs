namespace Faceprint.Core.Kernels;

/// <summary>
/// FaceLiVT's multi-head linear attention (MHLA) for one head: the head's channels are mixed along the TOKEN
/// axis by Linear(N → e·N), GELU, Linear(e·N → N). The channels of head h are the contiguous block
/// [h·C/H, (h+1)·C/H) of the input; the head's j-th output channel lands on channel j·H + h (the reference
/// concatenates head outputs along the token axis and reshapes back to C×H×W, which interleaves them).
/// All images of the batch are stacked into one pair of GEMMs per head.
/// </summary>
public static class TokenMixingKernel
{
    /// <summary>Floats of scratch one head needs for <paramref name="images"/> images (the GEMM spreads any row count evenly over its tiles, so no padding).</summary>
    public static int ScratchSize(int images, int channelsPerHead, int tokens, int hidden) =>
        images * channelsPerHead * (2 * tokens + hidden);

    /// <summary>
    /// Runs head <paramref name="head"/> of <paramref name="heads"/> on every image. <paramref name="linear1"/> is the
    /// head's tokens → hidden Linear (with bias, GELU fused as its activation), <paramref name="linear2"/> its hidden → tokens Linear.
    /// </summary>
    public static unsafe void Run(ReadOnlySpan<float> input, Span<float> output, int images, int tokens, int channels, int heads, int head,
        GemmWeights linear1, GemmWeights linear2, Span<float> scratch)
    {
        int perHead = channels / heads, hidden = linear1.N, rows = images * perHead;
        if (input.Length < images * tokens * channels || output.Length < images * tokens * channels) throw new ArgumentException("input or output is shorter than the batch");
        if (scratch.Length < ScratchSize(images, perHead, tokens, hidden)) throw new ArgumentException("scratch is too short");
        var x = scratch[..(rows * tokens)];
        var h = scratch.Slice(rows * tokens, rows * hidden);
        var y = scratch.Slice(rows * (tokens + hidden), rows * tokens);
        fixed (float* pin = input)
        fixed (float* pout = output)
        fixed (float* px = x)
        fixed (float* py = y)
        {
            // Token-major in, channel-major out: reads walk the input in order, each store goes to its own row.
            for (int image = 0; image < images; image++)
            {
                float* source = pin + (nint)image * tokens * channels + head * perHead;
                float* block = px + (nint)image * perHead * tokens;
                for (int n = 0; n < tokens; n++, source += channels)
                    for (int j = 0; j < perHead; j++) block[j * tokens + n] = source[j];
            }
            Gemm.Run(x, tokens, linear1, h, 0, rows);
            Gemm.Run(h, hidden, linear2, y, 0, rows);
            for (int image = 0; image < images; image++)
            {
                float* target = pout + (nint)image * tokens * channels + head;
                float* block = py + (nint)image * perHead * tokens;
                for (int n = 0; n < tokens; n++, target += channels)
                    for (int j = 0; j < perHead; j++) target[j * heads] = block[j * tokens + n];
            }
        }
    }
}
