namespace Faceprint.Core.Kernels.Int8.Native;

/// <summary>A memory operand [<see cref="Base"/> + <see cref="Index"/>·<see cref="Scale"/> + <see cref="Displacement"/>].</summary>
internal readonly record struct Mem
{
    /// <summary>[<paramref name="baseRegister"/> + <paramref name="index"/>·<paramref name="scale"/> + <paramref name="displacement"/>]; no index when <paramref name="index"/> is null.</summary>
    public Mem(Gpr baseRegister, int displacement = 0, Gpr? index = null, int scale = 1)
    {
        if (index == Gpr.Rsp) throw new ArgumentException("rsp cannot be an index register", nameof(index));
        if (scale is not (1 or 2 or 4 or 8)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "scale is 1, 2, 4 or 8");
        Base = baseRegister;
        Displacement = displacement;
        Index = index;
        Scale = scale;
    }

    public Gpr Base { get; }

    public int Displacement { get; }

    public Gpr? Index { get; }

    public int Scale { get; }
}
