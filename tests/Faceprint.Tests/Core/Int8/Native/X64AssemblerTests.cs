using Faceprint.Core.Kernels.Int8.Native;

namespace Faceprint.Tests.Core.Int8.Native;

/// <summary>
/// The encoder byte for byte against encodings worked out by hand from the Intel SDM's REX/EVEX/ModRM/SIB rules (and
/// cross-checked with an assembler), covering zmm16–31 (EVEX.R′, V′ and X as the rm register's bit 4), r8–r15 (REX/EVEX
/// R, X, B), compressed 8-bit displacements, full 32-bit displacements, the {1to16} broadcast, and the rsp/r13 base cases.
/// </summary>
public sealed class X64AssemblerTests
{
    private static string Encode(Action<X64Assembler> emit)
    {
        var asm = new X64Assembler();
        emit(asm);
        return Convert.ToHexString(asm.ToArray());
    }

    private static Zmm Z(int i) => new(i);

    public static TheoryData<string, string> Vector() => new()
    {
        // 62 | R̄X̄B̄R̄′00mm | Wv̄v̄v̄v̄1pp | zL′Lbv̄′aaa | opcode | ModRM …
        { "vpdpbusd zmm0, zmm1, zmm2", "62F2754850C2" },
        { "vpdpbusd zmm17, zmm30, zmm9", "62C20D4050C9" },
        { "vpdpbusd zmm5, zmm6, zmm25", "62924D4850E9" },
        { "vpdpbusd zmm3, zmm4, [rdx+4]{1to16}", "62F25D58505A01" },
        { "vpdpbusd zmm1, zmm2, [r13]", "62D26D48504D00" },
        { "vpbroadcastd zmm20, [r10+rsi*2+8]", "62C27D4858647202" },
        { "vpbroadcastd zmm24, [rax]", "62627D485800" },
        { "vmovdqu32 [r8+128], zmm31", "62417E487F7802" },
        { "vmovdqu32 zmm16, [rdx+12800]", "62E17E486F8200320000" },
        { "vmovdqu32 zmm31, [rdx+r13+64]", "62217E486F7C2A01" },
        { "vmovdqu32 [rsp+64], zmm7", "62F17E487F7C2401" },
        { "vpxord zmm24, zmm24, zmm24", "62013D40EFC0" },
        { "vzeroupper", "C5F877" },
    };

    public static TheoryData<string, string> Integer() => new()
    {
        { "add r10, 4", "4983C204" },
        { "add rdx, 4096", "4881C200100000" },
        { "sub r12, 2", "4983EC02" },
        { "cmp r9, 2", "4983F902" },
        { "test r9, r9", "4D85C9" },
        { "dec r12", "49FFCC" },
        { "mov r13, rcx", "4989CD" },
        { "shl r13, 6", "49C1E506" },
        { "lea r10, [rax+rsi*2]", "4C8D1470" },
        { "add r10, rsi", "4901F2" },
        { "push r12", "4154" },
        { "pop r13", "415D" },
        { "push rbx", "53" },
        { "ret", "C3" },
    };

    private static readonly Dictionary<string, Action<X64Assembler>> Instructions = new()
    {
        ["vpdpbusd zmm0, zmm1, zmm2"] = a => a.Vpdpbusd(Z(0), Z(1), Z(2)),
        ["vpdpbusd zmm17, zmm30, zmm9"] = a => a.Vpdpbusd(Z(17), Z(30), Z(9)),
        ["vpdpbusd zmm5, zmm6, zmm25"] = a => a.Vpdpbusd(Z(5), Z(6), Z(25)),
        ["vpdpbusd zmm3, zmm4, [rdx+4]{1to16}"] = a => a.Vpdpbusd(Z(3), Z(4), new Mem(Gpr.Rdx, 4), broadcast: true),
        ["vpdpbusd zmm1, zmm2, [r13]"] = a => a.Vpdpbusd(Z(1), Z(2), new Mem(Gpr.R13)),
        ["vpbroadcastd zmm20, [r10+rsi*2+8]"] = a => a.Vpbroadcastd(Z(20), new Mem(Gpr.R10, 8, Gpr.Rsi, 2)),
        ["vpbroadcastd zmm24, [rax]"] = a => a.Vpbroadcastd(Z(24), new Mem(Gpr.Rax)),
        ["vmovdqu32 [r8+128], zmm31"] = a => a.Vmovdqu32(new Mem(Gpr.R8, 128), Z(31)),
        ["vmovdqu32 zmm16, [rdx+12800]"] = a => a.Vmovdqu32(Z(16), new Mem(Gpr.Rdx, 12800)),
        ["vmovdqu32 zmm31, [rdx+r13+64]"] = a => a.Vmovdqu32(Z(31), new Mem(Gpr.Rdx, 64, Gpr.R13)),
        ["vmovdqu32 [rsp+64], zmm7"] = a => a.Vmovdqu32(new Mem(Gpr.Rsp, 64), Z(7)),
        ["vpxord zmm24, zmm24, zmm24"] = a => a.Vpxord(Z(24), Z(24), Z(24)),
        ["vzeroupper"] = a => a.Vzeroupper(),
        ["add r10, 4"] = a => a.Add(Gpr.R10, 4),
        ["add rdx, 4096"] = a => a.Add(Gpr.Rdx, 4096),
        ["sub r12, 2"] = a => a.Sub(Gpr.R12, 2),
        ["cmp r9, 2"] = a => a.Cmp(Gpr.R9, 2),
        ["test r9, r9"] = a => a.Test(Gpr.R9, Gpr.R9),
        ["dec r12"] = a => a.Dec(Gpr.R12),
        ["mov r13, rcx"] = a => a.Mov(Gpr.R13, Gpr.Rcx),
        ["shl r13, 6"] = a => a.Shl(Gpr.R13, 6),
        ["lea r10, [rax+rsi*2]"] = a => a.Lea(Gpr.R10, new Mem(Gpr.Rax, index: Gpr.Rsi, scale: 2)),
        ["add r10, rsi"] = a => a.Add(Gpr.R10, Gpr.Rsi),
        ["push r12"] = a => a.Push(Gpr.R12),
        ["pop r13"] = a => a.Pop(Gpr.R13),
        ["push rbx"] = a => a.Push(Gpr.Rbx),
        ["ret"] = a => a.Ret(),
    };

    [Theory]
    [MemberData(nameof(Vector))]
    [MemberData(nameof(Integer))]
    public void EncodesAsTheSdmSays(string instruction, string hex) =>
        Assert.Equal(hex, Encode(Instructions[instruction]));

    [Fact]
    public void JumpsResolveToRelativeOffsetsFromTheNextInstruction()
    {
        var asm = new X64Assembler();
        var back = asm.CreateLabel();
        var forward = asm.CreateLabel();
        asm.Bind(back);
        asm.Dec(Gpr.Rcx); // 3 bytes
        asm.Jnz(back); // 6 bytes, ends at 9: rel = 0 − 9
        asm.Jz(forward); // 6 bytes, ends at 15: rel = 16 − 15
        asm.Ret();
        asm.Bind(forward);
        asm.Ret();
        Assert.Equal("48FFC9" + "0F85F7FFFFFF" + "0F8401000000" + "C3" + "C3", Convert.ToHexString(asm.ToArray()));
    }

    [Fact]
    public void AnUnboundLabelIsAnError()
    {
        var asm = new X64Assembler();
        asm.Jmp(asm.CreateLabel());
        Assert.Throws<InvalidOperationException>(() => asm.ToArray());
    }

    [Fact]
    public void RspIsNoIndexAndScalesArePowersOfTwo()
    {
        Assert.Throws<ArgumentException>(() => new Mem(Gpr.Rax, index: Gpr.Rsp));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Mem(Gpr.Rax, index: Gpr.Rsi, scale: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Zmm(32));
    }
}
