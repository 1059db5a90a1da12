namespace Faceprint.Core.Kernels.Int8.Native;

/// <summary>x86-64 general-purpose registers by their 4-bit encoding (bit 3 goes to a REX or EVEX extension bit).</summary>
internal enum Gpr : byte
{
    Rax, Rcx, Rdx, Rbx, Rsp, Rbp, Rsi, Rdi, R8, R9, R10, R11, R12, R13, R14, R15,
}
