using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Faceprint.Core.Kernels.Int8.Native;

/// <summary>
/// The emitted AVX-512 VNNI micro-kernels (<see cref="Int8VnniKernelEmitter"/>), one per row count 1–<see cref="Rows"/>,
/// assembled into executable memory once per process on first use. <see cref="Instance"/> is null wherever they cannot
/// run: not Linux x64, a CPU without <c>avx512_vnni</c> (CPUID leaf 7, ECX bit 11) or without AVX-512 F/BW in the
/// runtime, or no executable memory.
/// </summary>
internal sealed unsafe class Int8VnniKernels
{
    /// <summary>Rows per register tile.</summary>
    public const int Rows = Int8VnniKernelEmitter.MaxRows;

    // Two panels per sweep (24 accumulators: one broadcast of A feeds two vpdpbusd) and two K steps per loop iteration.
    internal const int PanelsPerPass = 2, Unroll = 2;

    private static readonly Lazy<Int8VnniKernels?> Shared = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly nint[] _entries;

    private Int8VnniKernels(nint[] entries) => _entries = entries;

    /// <summary>The kernels, or null where they cannot run here.</summary>
    public static Int8VnniKernels? Instance => Shared.Value;

    /// <summary>True when this CPU reports AVX-512 VNNI (CPUID.(EAX=7, ECX=0):ECX bit 11) and the runtime exposes AVX-512 F and BW.</summary>
    public static bool CpuSupports() =>
        X86Base.IsSupported && Avx512F.IsSupported && Avx512BW.IsSupported && (X86Base.CpuId(7, 0).Ecx & (1 << 11)) != 0;

    /// <summary>
    /// Sums <paramref name="rows"/> rows of A (u8 codes, <paramref name="lda"/> bytes apart) against <paramref name="panels"/>
    /// panels of packed B over <paramref name="steps"/> K steps into <paramref name="sums"/>, [panel][row][16].
    /// </summary>
    public void Run(int rows, byte* a, nint lda, byte* b, nint steps, int* sums, nint panels)
    {
        var kernel = (delegate* unmanaged[SuppressGCTransition]<byte*, nint, byte*, nint, int*, nint, void>)_entries[rows - 1];
        kernel(a, lda, b, steps, sums, panels);
    }

    private static Int8VnniKernels? Create()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64 || !CpuSupports()) return null;
        var asm = new X64Assembler();
        var offsets = new int[Rows];
        for (int rows = 1; rows <= Rows; rows++)
        {
            asm.Align(64);
            offsets[rows - 1] = asm.Length;
            Int8VnniKernelEmitter.Emit(asm, rows, PanelsPerPass, Unroll);
        }
        byte* code;
        try
        {
            code = ExecutableMemory.TryCreate(asm.ToArray());
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
        if (code == null) return null;
        return new Int8VnniKernels(offsets.Select(o => (nint)(code + o)).ToArray());
    }
}
