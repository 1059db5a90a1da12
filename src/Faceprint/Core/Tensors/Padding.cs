namespace Faceprint.Core.Tensors;

/// <summary>How a conv or pool pads its input.</summary>
public enum PaddingMode
{
    /// <summary>No padding.</summary>
    Valid,

    /// <summary>TensorFlow "SAME": output = ceil(in / stride); odd totals put the extra pixel after.</summary>
    Same,

    /// <summary>PyTorch style: the same explicit amount on every side.</summary>
    Explicit,
}

/// <summary>Padding rule of one layer; resolved to pixel counts per input size by <see cref="Resolve"/>.</summary>
public readonly record struct Padding(PaddingMode Mode, int Amount = 0)
{
    /// <summary>No padding.</summary>
    public static Padding Valid => new(PaddingMode.Valid);

    /// <summary>TensorFlow SAME padding.</summary>
    public static Padding Same => new(PaddingMode.Same);

    /// <summary>Symmetric explicit padding.</summary>
    public static Padding Symmetric(int amount) => new(PaddingMode.Explicit, amount);

    /// <summary>Output size and leading pad for one spatial axis.</summary>
    public (int Output, int Before) Resolve(int input, int kernel, int stride)
    {
        switch (Mode)
        {
            case PaddingMode.Valid:
                return (OutputSize(input - kernel, stride), 0);
            case PaddingMode.Same:
                int output = (input + stride - 1) / stride;
                int total = Math.Max((output - 1) * stride + kernel - input, 0);
                return (output, total / 2);
            default:
                // (H + 2·pad − k)/stride + 1: the padding counts, unlike the sizing bug SPEC §3 warns about.
                return (OutputSize(input + 2 * Amount - kernel, stride), Amount);
        }
    }

    /// <summary>span/stride + 1 for a non-negative span; 0 when the kernel does not fit at all (C# division
    /// truncates toward zero, which would otherwise turn a negative span into one output pixel).</summary>
    private static int OutputSize(int span, int stride) => span < 0 ? 0 : span / stride + 1;
}
