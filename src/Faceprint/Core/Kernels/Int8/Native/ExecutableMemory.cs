using System.Runtime.InteropServices;

namespace Faceprint.Core.Kernels.Int8.Native;

/// <summary>
/// Machine code copied into its own pages on Linux: mapped read+write, written, then switched to read+execute, so the
/// pages are never writable and executable at once. Mapped once per process and never unmapped (the function pointers
/// into it live as long as the process).
/// </summary>
internal static unsafe partial class ExecutableMemory
{
    private const int ProtRead = 1, ProtWrite = 2, ProtExec = 4;
    private const int MapPrivate = 0x02, MapAnonymous = 0x20;

    /// <summary>The address of <paramref name="code"/> in fresh executable pages, or null where that is not possible.</summary>
    public static byte* TryCreate(ReadOnlySpan<byte> code)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64 || code.IsEmpty) return null;
        nuint size = (nuint)code.Length;
        void* pages = Mmap(null, size, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        if (pages == (void*)-1) return null;
        code.CopyTo(new Span<byte>(pages, code.Length));
        if (Mprotect(pages, size, ProtRead | ProtExec) != 0)
        {
            _ = Munmap(pages, size);
            return null;
        }
        return (byte*)pages;
    }

    [LibraryImport("libc", EntryPoint = "mmap")]
    private static partial void* Mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "mprotect")]
    private static partial int Mprotect(void* address, nuint length, int protection);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(void* address, nuint length);
}
