using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Faceprint.Core.Kernels.Int8;

/// <summary>
/// Where an int8 GEMM tile's epilogue writes and the panel's scale, offset and slope terms, copied out of <see cref="Int8GemmCall"/> into a local once per tile: the
/// JIT must assume a store through C or the codes may change what a call's fields point at, so read through the call it
/// reloads them (and recomputes the row's address) after every row's store; from a local they stay in registers.
/// </summary>
internal readonly unsafe struct Int8TileOutput
{
    /// <summary>The operands of the tile whose first row is <paramref name="row0"/> and first column <paramref name="col"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Int8TileOutput(in Int8GemmCall g, int row0, int col)
    {
        Ldc = g.Ldc;
        nint first = row0 * Ldc + col;
        C = g.Codes == null ? g.C + first : null;
        Codes = g.Codes == null ? null : g.Codes + first;
        Residual = g.Residual == null ? null : g.Residual + first;
        Activation = g.Activation;
        // Per-channel terms are padded to whole panels like the weights' terms; a per-tensor pair is broadcast.
        InverseCodeScales = g.CodeInverses != null ? Vector512.Load(g.CodeInverses + col) : Vector512.Create(g.InverseCodeScale);
        CodeZeroPoints = g.CodeZeroPoints != null ? Vector512.Load(g.CodeZeroPoints + col) : Vector512.Create(g.CodeZeroPoint);
        // The weight arrays are padded to whole panels, so a panel's 16 terms are always there to load.
        Slopes = Vector512.Load(g.Slopes + col);
        Scales = Vector512.Load(g.Scale + col);
        Offsets = Vector512.Load(g.Offset + col);
    }

    /// <summary>Elements between rows (C, the codes and the residual alike).</summary>
    public nint Ldc { get; }

    /// <summary>The tile's first float output, or null when it writes codes.</summary>
    public float* C { get; }

    /// <summary>The tile's first code, or null when it writes floats.</summary>
    public byte* Codes { get; }

    /// <summary>The tile's first residual value, or null for none.</summary>
    public float* Residual { get; }

    public ActivationKind Activation { get; }

    /// <summary>The panel's 16 code terms 1 / scale (one value broadcast for per-tensor codes), made once per tile rather than once per row.</summary>
    public Vector512<float> InverseCodeScales { get; }

    /// <summary>The panel's 16 code zero points (likewise).</summary>
    public Vector512<int> CodeZeroPoints { get; }

    /// <summary>The panel's 16 PReLU slopes (the 256-bit epilogue takes each half).</summary>
    public Vector512<float> Slopes { get; }

    /// <summary>The panel's 16 scales, input scale × weight scale.</summary>
    public Vector512<float> Scales { get; }

    /// <summary>The panel's 16 offsets, bias with the input's zero-point term folded in.</summary>
    public Vector512<float> Offsets { get; }
}
