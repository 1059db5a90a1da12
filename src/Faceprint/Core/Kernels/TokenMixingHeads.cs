using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>
/// MHLA for one image with a head's channels held in one or two registers (FaceLiVT-M: 16 and 32 channels per head,
/// -S: 10 and 20): per head, token t's channels are one register row, so H = GELU(W₁·X + b₁) and Y = W₂·H + b₂ are
/// products whose left operand is the weights, streamed from <see cref="TokenMixingStream"/>, and whose right operand
/// is a few registers per row that stay in L1 — no padding of the token or hidden axis and no packing of weights at
/// run time. Each head's Y waits in scratch; after the heads of the call, the outputs go out token by token with head h's
/// channel j on channel j·heads + h, so each token's row of the output is written once, in order, instead of one
/// float in every cache line of the output per head.
/// </summary>
public static unsafe class TokenMixingHeads
{
    private const int CacheLineFloats = 16;

    // Floats of the weight stream fetched ahead of the tile reading it (4 KiB, a few tiles): FaceLiVT-M batch 1 thread
    // CPU 5.07/5.10 ms at 1024 against 5.16 at 2048, 5.81 at 4096 and 5.70 with no prefetch (one process, loaded machine).
    private const int PrefetchDistance = 1024;

    /// <summary>Whether this form runs a layer with <paramref name="channelsPerHead"/> channels per head on <paramref name="isa"/>.</summary>
    public static bool Fits(int images, int channelsPerHead, KernelIsa isa) => images == 1 && channelsPerHead <= 2 * KernelIsas.Width(isa);

    /// <summary>Floats of scratch for <paramref name="heads"/> heads of one image.</summary>
    public static int ScratchSize(int heads, int channelsPerHead, int tokens, int hidden, KernelIsa isa)
    {
        int lanes = Lanes(channelsPerHead, isa);
        return (tokens + hidden + heads * tokens) * lanes + CacheLineFloats;
    }

    /// <summary>
    /// Mixes heads [<paramref name="headStart"/>, <paramref name="headEnd"/>) of one image (<paramref name="input"/> and
    /// <paramref name="output"/> are tokens × channels, NHWC); the other heads' output channels are left as they are.
    /// </summary>
    public static void Run(ReadOnlySpan<float> input, Span<float> output, int channels, int headStart, int headEnd,
        TokenMixingStream weights, Span<float> scratch)
    {
        int heads = weights.Heads, tokens = weights.Tokens;
        if (channels % heads != 0) throw new ArgumentException($"{heads} heads do not divide {channels} channels");
        int perHead = channels / heads;
        if (!Fits(1, perHead, weights.Isa)) throw new ArgumentException($"{perHead} channels per head do not fit two registers");
        if (headStart < 0 || headEnd > heads || headStart > headEnd) throw new ArgumentOutOfRangeException(nameof(headEnd));
        if (input.Length < tokens * channels || output.Length < tokens * channels) throw new ArgumentException("input or output is shorter than one image");
        if (scratch.Length < ScratchSize(headEnd - headStart, perHead, tokens, weights.Hidden, weights.Isa)) throw new ArgumentException("scratch is too short");
        fixed (float* pin = input)
        fixed (float* pout = output)
        fixed (float* ps = scratch)
        fixed (float* stream = weights.Packed)
        {
            switch (weights.Isa)
            {
                case KernelIsa.Avx512:
                    Heads<Avx512Simd, Vector512<float>>(pin, pout, ps, stream, weights, channels, perHead, headStart, headEnd);
                    break;
                case KernelIsa.Avx2:
                    Heads<Avx2Simd, Vector256<float>>(pin, pout, ps, stream, weights, channels, perHead, headStart, headEnd);
                    break;
                default:
                    Heads<PortableSimd, Vector<float>>(pin, pout, ps, stream, weights, channels, perHead, headStart, headEnd);
                    break;
            }
        }
    }

    private static int Lanes(int perHead, KernelIsa isa)
    {
        int w = KernelIsas.Width(isa);
        return (perHead + w - 1) / w * w;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Heads<TS, TV>(float* input, float* output, float* scratch, float* stream, TokenMixingStream weights,
        int channels, int perHead, int headStart, int headEnd) where TS : struct, ISimd<TV> where TV : struct
    {
        int heads = weights.Heads, tokens = weights.Tokens, hidden = weights.Hidden, mr = weights.TileRows;
        int lanes = Lanes(perHead, weights.Isa);
        bool two = lanes > TS.Width;
        // Register rows start on a cache line so no load splits one.
        float* x = scratch + (CacheLineFloats - (int)((nuint)scratch / sizeof(float) % CacheLineFloats)) % CacheLineFloats;
        float* h = x + (nint)tokens * lanes, y = h + (nint)hidden * lanes;
        int distance = PrefetchDistance;
        for (int head = headStart; head < headEnd; head++)
        {
            // The head's channels of each token as one register row: read in place when they fill whole registers,
            // else copied with zeros past the last channel.
            float* xRows = input + head * perHead;
            nint ldx = channels;
            if (perHead < lanes)
            {
                for (int t = 0; t < tokens; t++)
                {
                    new ReadOnlySpan<float>(xRows + (nint)t * channels, perHead).CopyTo(new Span<float>(x + (nint)t * lanes, perHead));
                    new Span<float>(x + (nint)t * lanes + perHead, lanes - perHead).Clear();
                }
                xRows = x;
                ldx = lanes;
            }
            float* a = stream + (nint)head * weights.HeadFloats;
            for (int r0 = 0, rows; r0 < hidden; r0 += rows)
            {
                rows = Gemm.TileRows(hidden - r0, mr);
                float* c = h + (nint)r0 * lanes;
                RegisterRowTile<TS, TV>.Run(rows, two, a, a + rows, rows, tokens, xRows, ldx, c, lanes, a + rows + distance);
                // GELU over the rows just written (in L1): inside the tile it would crowd out the accumulators.
                GeluKernel.Rows<TS, TV>(c, c, rows * lanes);
                a += rows * (tokens + 1);
            }
            float* yh = y + (nint)(head - headStart) * tokens * lanes;
            for (int r0 = 0, rows; r0 < tokens; r0 += rows)
            {
                rows = Gemm.TileRows(tokens - r0, mr);
                RegisterRowTile<TS, TV>.Run(rows, two, a, a + rows, rows, hidden, h, lanes, yh + (nint)r0 * lanes, lanes, a + rows + distance);
                a += rows * (hidden + 1);
            }
        }
        // Head h's channel j goes to channel j·heads + h: per token, each channel's run of this call's heads is contiguous.
        int count = headEnd - headStart;
        nint headStride = (nint)tokens * lanes;
        for (int t = 0; t < tokens; t++)
        {
            float* target = output + (nint)t * channels + headStart;
            float* source = y + (nint)t * lanes;
            for (int j = 0; j < perHead; j++, target += heads)
                for (int i = 0; i < count; i++)
                    target[i] = source[i * headStride + j];
        }
    }
}
