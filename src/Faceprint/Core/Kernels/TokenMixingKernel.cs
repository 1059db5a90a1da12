using System.Runtime.Intrinsics.X86;

namespace Faceprint.Core.Kernels;

/// <summary>
/// FaceLiVT's multi-head linear attention (MHLA) for one head: the head's channels are mixed along the TOKEN
/// axis by Linear(N → e·N), GELU, Linear(e·N → N). The channels of head h are the contiguous block
/// [h·C/H, (h+1)·C/H) of the input; the head's j-th output channel lands on channel j·H + h (the reference
/// concatenates head outputs along the token axis and reshapes back to C×H×W, which interleaves them).
/// <para>
/// Two ways to run the pair of products, picked per shape by the register lanes each computes (padding included):
/// <b>token rows</b> — every image's channels become GEMM rows, the weights the packed right operand, which pads
/// the token axis to a register multiple (49 tokens run as 64 in the second product); <b>weight rows</b> — the
/// products run transposed, Hᵀ = W₁·X and Yᵀ = W₂·GELU(Hᵀ), weights on the left as stored and the channels of
/// every image side by side as columns, which pads only the column count and reads no transposed activation:
/// X is packed straight from the NHWC input and the first product writes into the second one's packed operand.
/// </para>
/// </summary>
public static unsafe class TokenMixingKernel
{
    private const int CacheLineFloats = 16;

    /// <summary>Floats of scratch one head needs for <paramref name="images"/> images, whichever way it runs.</summary>
    public static int ScratchSize(int images, int channelsPerHead, int tokens, int hidden, KernelIsa isa) =>
        Math.Max(TokenRowsScratch(images * channelsPerHead, tokens, hidden), WeightRowsScratch(images * channelsPerHead, tokens, hidden, isa));

    /// <summary>
    /// Whether the weight-rows form computes fewer register lanes than the token-rows form (ties go to token rows,
    /// whose tiles reuse each broadcast for two registers).
    /// </summary>
    public static bool UsesWeightRows(int images, int channelsPerHead, int tokens, int hidden, KernelIsa isa)
    {
        int columns = images * channelsPerHead;
        long tokenRows = (long)columns * (tokens * Lanes(hidden, isa) + hidden * Lanes(tokens, isa));
        long weightRows = (long)(hidden * (tokens + 1) + tokens * (hidden + 1)) * Lanes(columns, isa);
        return weightRows < tokenRows;
    }

    /// <summary>
    /// Runs head <paramref name="head"/> of <paramref name="heads"/> on every image of the batch; <paramref name="scratch"/>
    /// holds at least <see cref="ScratchSize"/> floats.
    /// </summary>
    public static void Run(ReadOnlySpan<float> input, Span<float> output, int images, int channels, int heads, int head,
        TokenMixingWeights weights, Span<float> scratch)
    {
        int perHead = Check(input, output, images, channels, heads, head, weights.Tokens);
        if (scratch.Length < ScratchSize(images, perHead, weights.Tokens, weights.Hidden, weights.Isa)) throw new ArgumentException("scratch is too short");
        if (UsesWeightRows(images, perHead, weights.Tokens, weights.Hidden, weights.Isa))
            RunWeightRows(input, output, images, channels, heads, head, weights, scratch);
        else
            RunTokenRows(input, output, images, channels, heads, head, weights, scratch);
    }

    /// <summary>The token-rows form: images·perHead rows of tokens through the packed weights.</summary>
    internal static void RunTokenRows(ReadOnlySpan<float> input, Span<float> output, int images, int channels, int heads, int head,
        TokenMixingWeights weights, Span<float> scratch)
    {
        int tokens = weights.Tokens, hidden = weights.Hidden, perHead = Check(input, output, images, channels, heads, head, tokens), rows = images * perHead;
        if (scratch.Length < TokenRowsScratch(rows, tokens, hidden)) throw new ArgumentException("scratch is too short");
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
            Gemm.Run(x, tokens, weights.First, h, 0, rows);
            Gemm.Run(h, hidden, weights.Second, y, 0, rows);
            for (int image = 0; image < images; image++)
            {
                float* target = pout + (nint)image * tokens * channels + head;
                float* block = py + (nint)image * perHead * tokens;
                for (int n = 0; n < tokens; n++, target += channels)
                    for (int j = 0; j < perHead; j++) target[j * heads] = block[j * tokens + n];
            }
        }
    }

    /// <summary>The weight-rows form: Hᵀ = W₁·X, GELU, Yᵀ = W₂·Hᵀ with images·perHead columns.</summary>
    internal static void RunWeightRows(ReadOnlySpan<float> input, Span<float> output, int images, int channels, int heads, int head,
        TokenMixingWeights weights, Span<float> scratch)
    {
        int tokens = weights.Tokens, hidden = weights.Hidden, perHead = Check(input, output, images, channels, heads, head, tokens), columns = images * perHead;
        var isa = weights.Isa;
        if (scratch.Length < WeightRowsScratch(columns, tokens, hidden, isa)) throw new ArgumentException("scratch is too short");
        int pw = 2 * KernelIsas.Width(isa), padded = Lanes(columns, isa, pw), panels = padded / pw;
        fixed (float* pin = input)
        fixed (float* pout = output)
        fixed (float* ps = scratch)
        fixed (float* w1 = weights.FirstRows)
        fixed (float* w2 = weights.SecondRows)
        {
            // The packed operands are read with whole-register loads: start them on a cache line so no load splits one.
            float* x = ps + (CacheLineFloats - (int)((nuint)ps / sizeof(float) % CacheLineFloats)) % CacheLineFloats;
            float* h = x + (nint)(tokens + 1) * padded, y = h + (nint)(hidden + 1) * padded, zeros = y + (nint)tokens * columns;
            // The GEMM starts every tile from a bias over its columns: here zero, the real biases ride on the rows of ones.
            new Span<float>(zeros, padded).Clear();
            PackInput(pin + (nint)head * perHead, channels, tokens, images, perHead, x, pw);
            for (int p = 0; p < panels; p++)
                if (columns - p * pw < pw) new Span<float>(h + (nint)p * (hidden + 1) * pw, hidden * pw).Clear();
            // Weights are the left operand here, which the GEMM does not prefetch, and at batch 1 they come cold from
            // memory: each block of weight rows is fetched while the block before it computes.
            int block = 2 * (isa == KernelIsa.Avx512 ? 12 : 6);
            Prefetch(w1, Math.Min(block, hidden) * (tokens + 1));
            for (int r0 = 0; r0 < hidden; r0 += block)
            {
                int r1 = Math.Min(hidden, r0 + block);
                if (r1 < hidden) Prefetch(w1 + (nint)r1 * (tokens + 1), (Math.Min(hidden, r1 + block) - r1) * (tokens + 1));
                else Prefetch(w2, Math.Min(block, tokens) * (hidden + 1));
                for (int p = 0; p < panels; p++)
                {
                    // Columns [p·pw, p·pw + n) of Hᵀ land in panel p of the second product's packed operand (rows pw apart).
                    float* panel = h + (nint)p * (hidden + 1) * pw;
                    var first = new GemmCall(w1, tokens + 1, tokens + 1, Math.Min(pw, columns - p * pw), x + (nint)p * (tokens + 1) * pw, zeros, panel, pw);
                    Gemm.Run(first, isa, r0, r1);
                    var rows = new Span<float>(panel + (nint)r0 * pw, (r1 - r0) * pw);
                    GeluKernel.Apply(rows, rows, isa);
                }
            }
            for (int p = 0; p < panels; p++) Ones(h + ((nint)p * (hidden + 1) + hidden) * pw, Math.Min(pw, columns - p * pw), pw);
            var second = new GemmCall(w2, hidden + 1, hidden + 1, columns, h, zeros, y, columns);
            for (int r0 = 0; r0 < tokens; r0 += block / 2)
            {
                int r1 = Math.Min(tokens, r0 + block / 2);
                if (r1 < tokens) Prefetch(w2 + (nint)r1 * (hidden + 1), (Math.Min(tokens, r1 + block / 2) - r1) * (hidden + 1));
                Gemm.Run(second, isa, r0, r1);
            }
            // Yᵀ is [token, image·perHead + j]; channel j of the head goes to channel j·heads + head.
            for (int image = 0; image < images; image++)
                for (int t = 0; t < tokens; t++)
                {
                    float* source = y + (nint)t * columns + image * perHead;
                    float* target = pout + ((nint)image * tokens + t) * channels + head;
                    for (int j = 0; j < perHead; j++) target[j * heads] = source[j];
                }
        }
    }

    private static int Check(ReadOnlySpan<float> input, ReadOnlySpan<float> output, int images, int channels, int heads, int head, int tokens)
    {
        if (heads <= 0 || channels % heads != 0 || head < 0 || head >= heads) throw new ArgumentException($"head {head} of {heads} does not fit {channels} channels");
        if (input.Length < images * tokens * channels || output.Length < images * tokens * channels) throw new ArgumentException("input or output is shorter than the batch");
        return channels / heads;
    }

    private static int TokenRowsScratch(int rows, int tokens, int hidden) => rows * (2 * tokens + hidden);

    private static int WeightRowsScratch(int columns, int tokens, int hidden, KernelIsa isa)
    {
        int padded = Lanes(columns, isa, 2 * KernelIsas.Width(isa));
        return (tokens + 1) * padded + (hidden + 1) * padded + tokens * columns + padded + CacheLineFloats;
    }

    // Register lanes the GEMM computes for n columns: whole registers, so n rounded up to the vector width.
    private static int Lanes(int n, KernelIsa isa) => Lanes(n, isa, KernelIsas.Width(isa));

    private static int Lanes(int n, KernelIsa isa, int multiple) => (n + multiple - 1) / multiple * multiple;

    // X in the GEMM's panel layout ([panel][row][lane]): row t < tokens holds every image's perHead channels of token t,
    // row `tokens` is ones; lanes past the last column are zero.
    private static void PackInput(float* source, int channels, int tokens, int images, int perHead, float* x, int pw)
    {
        int columns = images * perHead, rows = tokens + 1;
        int last = (columns - 1) / pw * pw;
        if (columns - last < pw) new Span<float>(x + (nint)last * rows, rows * pw).Clear();
        for (int image = 0; image < images; image++)
            for (int j0 = 0; j0 < perHead;)
            {
                // A run of one image's channels that stays inside one panel.
                int column = image * perHead + j0, lane = column % pw, run = Math.Min(perHead - j0, pw - lane);
                float* from = source + (nint)image * tokens * channels + j0;
                float* to = x + (nint)(column / pw) * rows * pw + lane;
                for (int t = 0; t < tokens; t++, from += channels, to += pw)
                    new ReadOnlySpan<float>(from, run).CopyTo(new Span<float>(to, run));
                j0 += run;
            }
        for (int p = 0; p * pw < columns; p++) Ones(x + ((nint)p * rows + tokens) * pw, Math.Min(pw, columns - p * pw), pw);
    }

    private static void Prefetch(float* start, int floats)
    {
        if (!Sse.IsSupported) return;
        for (int i = 0; i < floats; i += CacheLineFloats) Sse.Prefetch0(start + i);
    }

    private static void Ones(float* row, int n, int pw)
    {
        new Span<float>(row, n).Fill(1f);
        new Span<float>(row + n, pw - n).Clear();
    }
}
