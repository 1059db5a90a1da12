namespace Faceprint.Core.Kernels.Int8.Native;

/// <summary>
/// A minimal x86-64 encoder for the handful of instructions the emitted int8 GEMM kernel uses: the EVEX (AVX-512) forms
/// of <c>vpdpbusd</c>, <c>vpbroadcastd</c>, <c>vmovdqu32</c> and <c>vpxord</c>, and the integer
/// housekeeping of a loop (add, sub, dec, lea, mov, push, pop, conditional jumps, ret). Encodings follow the Intel SDM
/// (volume 2, chapter 2): REX and EVEX prefixes, ModRM/SIB addressing and EVEX's compressed 8-bit displacement.
/// All vector forms are 512-bit, unmasked.
/// </summary>
internal sealed class X64Assembler
{
    private readonly List<byte> _code = [];
    private readonly List<(int At, Label Target)> _fixups = [];
    private readonly List<int> _labels = [];

    /// <summary>Bytes emitted so far.</summary>
    public int Length => _code.Count;

    /// <summary>The code, with every jump resolved.</summary>
    public byte[] ToArray()
    {
        var code = _code.ToArray();
        foreach (var (at, target) in _fixups)
        {
            int to = _labels[target.Id];
            if (to < 0) throw new InvalidOperationException($"label {target.Id} was never bound");
            BitConverter.TryWriteBytes(code.AsSpan(at, 4), to - (at + 4));
        }
        return code;
    }

    /// <summary>A new, unbound jump target.</summary>
    public Label CreateLabel()
    {
        _labels.Add(-1);
        return new Label(_labels.Count - 1);
    }

    /// <summary>Binds <paramref name="label"/> to the next instruction.</summary>
    public void Bind(Label label)
    {
        if (_labels[label.Id] >= 0) throw new InvalidOperationException($"label {label.Id} is bound twice");
        _labels[label.Id] = _code.Count;
    }

    /// <summary>Pads with one-byte nops to a multiple of <paramref name="alignment"/> (loop heads fetch from one line).</summary>
    public void Align(int alignment)
    {
        while (_code.Count % alignment != 0) _code.Add(0x90);
    }

    // ---- AVX-512 (EVEX.512) ----

    /// <summary><c>vpdpbusd dst, src1, src2</c>: dst += Σ₄ u8(src1)·s8(src2) per 32-bit lane (EVEX.512.66.0F38.W0 50 /r).</summary>
    public void Vpdpbusd(Zmm dst, Zmm src1, Zmm src2) => EvexRegister(0x50, map: 2, pp: 1, dst.Index, src1.Index, src2.Index);

    /// <summary>
    /// <c>vpdpbusd dst, src1, [m]</c>, or with <paramref name="broadcast"/> the <c>{1to16}</c> form that repeats one dword of memory.
    /// </summary>
    public void Vpdpbusd(Zmm dst, Zmm src1, Mem m, bool broadcast = false) =>
        EvexMemory(0x50, map: 2, pp: 1, dst.Index, src1.Index, m, broadcast, broadcast ? 4 : 64);

    /// <summary><c>vpbroadcastd dst, dword [m]</c> (EVEX.512.66.0F38.W0 58 /r, tuple1-scalar: displacements scale by 4).</summary>
    public void Vpbroadcastd(Zmm dst, Mem m) => EvexMemory(0x58, map: 2, pp: 1, dst.Index, 0, m, broadcast: false, 4);

    /// <summary><c>vmovdqu32 dst, [m]</c> (EVEX.512.F3.0F.W0 6F /r).</summary>
    public void Vmovdqu32(Zmm dst, Mem m) => EvexMemory(0x6F, map: 1, pp: 2, dst.Index, 0, m, broadcast: false, 64);

    /// <summary><c>vmovdqu32 [m], src</c> (EVEX.512.F3.0F.W0 7F /r).</summary>
    public void Vmovdqu32(Mem m, Zmm src) => EvexMemory(0x7F, map: 1, pp: 2, src.Index, 0, m, broadcast: false, 64);

    /// <summary><c>vpxord dst, src1, src2</c> (EVEX.512.66.0F.W0 EF /r); with all three the same register, zeroes it.</summary>
    public void Vpxord(Zmm dst, Zmm src1, Zmm src2) => EvexRegister(0xEF, map: 1, pp: 1, dst.Index, src1.Index, src2.Index);

    /// <summary><c>vzeroupper</c> (VEX.128.0F.WIG 77): no AVX-SSE transition penalty for the caller.</summary>
    public void Vzeroupper() => Emit(0xC5, 0xF8, 0x77);

    // ---- integer ----

    /// <summary><c>add dst, imm</c> (REX.W 83 /0 ib or REX.W 81 /0 id).</summary>
    public void Add(Gpr dst, int imm) => Immediate(0, dst, imm);

    /// <summary><c>sub dst, imm</c> (REX.W 83 /5 ib or REX.W 81 /5 id).</summary>
    public void Sub(Gpr dst, int imm) => Immediate(5, dst, imm);

    /// <summary><c>cmp dst, imm</c> (REX.W 83 /7 ib or REX.W 81 /7 id).</summary>
    public void Cmp(Gpr dst, int imm) => Immediate(7, dst, imm);

    /// <summary><c>add dst, src</c> (REX.W 01 /r).</summary>
    public void Add(Gpr dst, Gpr src) => RegisterRegister(0x01, src, dst);

    /// <summary><c>mov dst, src</c> (REX.W 89 /r).</summary>
    public void Mov(Gpr dst, Gpr src) => RegisterRegister(0x89, src, dst);

    /// <summary><c>test a, b</c> (REX.W 85 /r).</summary>
    public void Test(Gpr a, Gpr b) => RegisterRegister(0x85, b, a);

    /// <summary><c>lea dst, [m]</c> (REX.W 8D /r).</summary>
    public void Lea(Gpr dst, Mem m)
    {
        Rex(true, (int)dst, m);
        Emit(0x8D);
        ModRm((int)dst & 7, m, 1);
    }

    /// <summary><c>shl dst, count</c> (REX.W C1 /4 ib).</summary>
    public void Shl(Gpr dst, int count)
    {
        if ((uint)count > 63) throw new ArgumentOutOfRangeException(nameof(count), count, "shift counts are 0 to 63");
        RexRegister(true, 0, (int)dst);
        Emit(0xC1, (byte)(0xC0 | (4 << 3) | ((int)dst & 7)), (byte)count);
    }

    /// <summary><c>dec dst</c> (REX.W FF /1).</summary>
    public void Dec(Gpr dst)
    {
        RexRegister(true, 0, (int)dst);
        Emit(0xFF, (byte)(0xC0 | (1 << 3) | ((int)dst & 7)));
    }

    /// <summary><c>push src</c> (50+rd, REX.B for r8–r15).</summary>
    public void Push(Gpr src)
    {
        if ((int)src >= 8) Emit(0x41);
        Emit((byte)(0x50 + ((int)src & 7)));
    }

    /// <summary><c>pop dst</c> (58+rd, REX.B for r8–r15).</summary>
    public void Pop(Gpr dst)
    {
        if ((int)dst >= 8) Emit(0x41);
        Emit((byte)(0x58 + ((int)dst & 7)));
    }

    /// <summary><c>ret</c> (C3).</summary>
    public void Ret() => Emit(0xC3);

    /// <summary><c>jnz target</c> (0F 85 cd).</summary>
    public void Jnz(Label target) => Jump([0x0F, 0x85], target);

    /// <summary><c>jz target</c> (0F 84 cd).</summary>
    public void Jz(Label target) => Jump([0x0F, 0x84], target);

    /// <summary><c>jb target</c>, unsigned below (0F 82 cd).</summary>
    public void Jb(Label target) => Jump([0x0F, 0x82], target);

    /// <summary><c>jae target</c>, unsigned above or equal (0F 83 cd).</summary>
    public void Jae(Label target) => Jump([0x0F, 0x83], target);

    /// <summary><c>jmp target</c> (E9 cd).</summary>
    public void Jmp(Label target) => Jump([0xE9], target);

    // ---- encoding helpers ----

    private void Jump(ReadOnlySpan<byte> opcode, Label target)
    {
        foreach (byte b in opcode) _code.Add(b);
        _fixups.Add((_code.Count, target));
        Emit(0, 0, 0, 0);
    }

    private void Immediate(int extension, Gpr dst, int imm)
    {
        RexRegister(true, 0, (int)dst);
        byte modrm = (byte)(0xC0 | (extension << 3) | ((int)dst & 7));
        if (imm is >= sbyte.MinValue and <= sbyte.MaxValue) Emit(0x83, modrm, (byte)(sbyte)imm);
        else
        {
            Emit(0x81, modrm);
            EmitInt32(imm);
        }
    }

    private void RegisterRegister(byte opcode, Gpr reg, Gpr rm)
    {
        RexRegister(true, (int)reg, (int)rm);
        Emit(opcode, (byte)(0xC0 | (((int)reg & 7) << 3) | ((int)rm & 7)));
    }

    // REX = 0100WRXB; emitted whenever a bit is set (every 64-bit operation sets W).
    private void RexRegister(bool w, int reg, int rm)
    {
        int rex = (w ? 8 : 0) | ((reg >> 3) << 2) | (rm >> 3);
        if (rex != 0) Emit((byte)(0x40 | rex));
    }

    private void Rex(bool w, int reg, Mem m)
    {
        int index = m.Index is { } i ? (int)i : 0;
        int rex = (w ? 8 : 0) | (((reg >> 3) & 1) << 2) | ((index >> 3) << 1) | ((int)m.Base >> 3);
        if (rex != 0) Emit((byte)(0x40 | rex));
    }

    // EVEX = 62, P0 = R̄ X̄ B̄ R̄′ 0 0 m m, P1 = W v̄v̄v̄v̄ 1 p p, P2 = z L′L b V̄′ a a a (bars: stored inverted).
    private void EvexPrefix(int map, int pp, int reg, int vvvv, int x, int b, bool broadcast)
    {
        int p0 = ((~reg >> 3 & 1) << 7) | ((~x & 1) << 6) | ((~b & 1) << 5) | ((~reg >> 4 & 1) << 4) | map;
        int p1 = ((~vvvv & 15) << 3) | 4 | pp;
        int p2 = (2 << 5) | ((broadcast ? 1 : 0) << 4) | ((~vvvv >> 4 & 1) << 3);
        Emit(0x62, (byte)p0, (byte)p1, (byte)p2);
    }

    private void EvexRegister(byte opcode, int map, int pp, int reg, int vvvv, int rm)
    {
        // A register rm's bit 3 is EVEX.B and its bit 4 EVEX.X.
        EvexPrefix(map, pp, reg, vvvv, rm >> 4, rm >> 3, broadcast: false);
        Emit(opcode, (byte)(0xC0 | ((reg & 7) << 3) | (rm & 7)));
    }

    private void EvexMemory(byte opcode, int map, int pp, int reg, int vvvv, Mem m, bool broadcast, int disp8Scale)
    {
        int index = m.Index is { } i ? (int)i : 0;
        EvexPrefix(map, pp, reg, vvvv, index >> 3, (int)m.Base >> 3, broadcast);
        Emit(opcode);
        ModRm(reg & 7, m, disp8Scale);
    }

    /// <summary>
    /// ModRM (+ SIB + displacement) for a memory operand. A displacement that is a multiple of <paramref name="disp8Scale"/>
    /// (EVEX's N; 1 for legacy forms) with a quotient in a signed byte takes one byte, else four. rsp/r12 as base need a SIB
    /// byte; rbp/r13 as base need a displacement even when it is zero (mod 00 there means RIP- or index-only addressing).
    /// </summary>
    private void ModRm(int reg, Mem m, int disp8Scale)
    {
        int baseLow = (int)m.Base & 7;
        bool sib = m.Index is not null || baseLow == 4;
        int disp = m.Displacement;
        int mod = disp == 0 && baseLow != 5 ? 0
            : disp % disp8Scale == 0 && disp / disp8Scale is >= sbyte.MinValue and <= sbyte.MaxValue ? 1
            : 2;
        Emit((byte)((mod << 6) | (reg << 3) | (sib ? 4 : baseLow)));
        if (sib)
        {
            int scaleBits = m.Scale switch { 1 => 0, 2 => 1, 4 => 2, _ => 3 };
            int indexLow = m.Index is { } i ? (int)i & 7 : 4;
            Emit((byte)((scaleBits << 6) | (indexLow << 3) | baseLow));
        }
        if (mod == 1) Emit((byte)(sbyte)(disp / disp8Scale));
        else if (mod == 2) EmitInt32(disp);
    }

    private void EmitInt32(int value)
    {
        for (int i = 0; i < 4; i++) _code.Add((byte)(value >> (8 * i)));
    }

    private void Emit(params ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes) _code.Add(b);
    }
}
