namespace Faceprint.Core.Kernels.Int8.Native;

/// <summary>One of the 32 AVX-512 vector registers zmm0–zmm31 (bits 3 and 4 of the index go to EVEX extension bits).</summary>
internal readonly record struct Zmm
{
    /// <summary>zmm<paramref name="index"/>.</summary>
    public Zmm(int index)
    {
        if ((uint)index > 31) throw new ArgumentOutOfRangeException(nameof(index), index, "zmm registers are numbered 0 to 31");
        Index = index;
    }

    /// <summary>The register number, 0 to 31.</summary>
    public int Index { get; }

    public override string ToString() => $"zmm{Index}";
}
