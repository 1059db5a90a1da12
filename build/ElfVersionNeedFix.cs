using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// TorchSharp 0.107's libLibTorchSharp.so asks libstdc++ for version GLIBCXX_3.4.32 (GCC 13), which Debian 12's
/// GCC 12 library lacks, so the library will not load there. The only symbol bound to that version is
/// std::ios_base_library_init, which older libstdc++ initialises on its own; pointing the version-need entry at
/// GLIBCXX_3.4.30 (name offset and its ELF hash) lets the library load. The task edits the copy in a build output
/// only when the system libstdc++ lacks the wanted version, and does nothing to a file already fixed.
/// </summary>
public sealed class ElfVersionNeedFix : Task
{
    private const uint VersionNeedSection = 0x6ffffffe; // SHT_GNU_verneed

    /// <summary>The shared library to fix in place.</summary>
    [Required] public string File { get; set; } = "";

    /// <summary>The version the library asks for, e.g. GLIBCXX_3.4.32.</summary>
    [Required] public string Wanted { get; set; } = "";

    /// <summary>A version the system library has and the file already names, e.g. GLIBCXX_3.4.30.</summary>
    [Required] public string Replacement { get; set; } = "";

    /// <summary>The system library that must provide <see cref="Wanted"/> for the file to load unchanged.</summary>
    [Required] public string SystemLibrary { get; set; } = "";

    public override bool Execute()
    {
        if (!System.IO.File.Exists(File)) return true;
        if (!System.IO.File.Exists(SystemLibrary) || Contains(System.IO.File.ReadAllBytes(SystemLibrary), Wanted + "\0")) return true;
        byte[] elf = System.IO.File.ReadAllBytes(File);
        try
        {
            if (!Retarget(elf)) return true;
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentException or InvalidDataException)
        {
            Log.LogError($"{File}: cannot edit its version needs: {e.Message}");
            return false;
        }
        // A new file replaces the old one rather than a write into it: the output's copy may be a hard link to the
        // NuGet cache's file (CreateHardLinksForCopyLocalIfPossible), which must stay as the package shipped it.
        string temporary = File + ".fixing";
        System.IO.File.WriteAllBytes(temporary, elf);
        System.IO.File.Delete(File);
        System.IO.File.Move(temporary, File);
        Log.LogMessage(MessageImportance.High, $"{Path.GetFileName(File)}: version need {Wanted} -> {Replacement} (system libstdc++ lacks {Wanted})");
        return true;
    }

    /// <summary>Rewrites the vernaux entry naming <see cref="Wanted"/>; false when there is none (already fixed).</summary>
    private bool Retarget(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a 64-bit little-endian ELF file");
        long sectionTable = (long)U64(elf, 0x28);
        int entrySize = U16(elf, 0x3A), count = U16(elf, 0x3C);
        for (int s = 0; s < count; s++)
        {
            long header = sectionTable + (long)s * entrySize;
            if (U32(elf, header + 4) != VersionNeedSection) continue;
            long offset = (long)U64(elf, header + 0x18);
            uint needs = U32(elf, header + 0x2C);
            long strings = (long)U64(elf, sectionTable + (long)U32(elf, header + 0x28) * entrySize + 0x18);
            uint? replacementName = null;
            long wantedEntry = -1;
            long need = offset;
            for (uint n = 0; n < needs; n++)
            {
                long aux = need + U32(elf, need + 8);
                for (int a = 0; a < U16(elf, need + 2); a++)
                {
                    uint name = U32(elf, aux + 8);
                    string text = CString(elf, strings + name);
                    if (text == Wanted) wantedEntry = aux;
                    if (text == Replacement) replacementName = name;
                    aux += U32(elf, aux + 12);
                }
                need += U32(elf, need + 12);
            }
            if (wantedEntry < 0) return false;
            if (replacementName is null) throw new InvalidDataException($"it names no {Replacement} to point {Wanted} at");
            Write32(elf, wantedEntry, ElfHash(Replacement));
            Write32(elf, wantedEntry + 8, replacementName.Value);
            return true;
        }
        return false;
    }

    private static uint ElfHash(string name)
    {
        uint h = 0;
        foreach (char c in name)
        {
            h = (h << 4) + c;
            uint g = h & 0xf0000000;
            if (g != 0) h ^= g >> 24;
            h &= ~g;
        }
        return h;
    }

    private static ushort U16(byte[] b, long at) => BitConverter.ToUInt16(b, checked((int)at));
    private static uint U32(byte[] b, long at) => BitConverter.ToUInt32(b, checked((int)at));
    private static ulong U64(byte[] b, long at) => BitConverter.ToUInt64(b, checked((int)at));

    private static void Write32(byte[] b, long at, uint value) => Array.Copy(BitConverter.GetBytes(value), 0, b, checked((int)at), 4);

    private static string CString(byte[] b, long at)
    {
        int end = Array.IndexOf(b, (byte)0, checked((int)at));
        return Encoding.ASCII.GetString(b, (int)at, end - (int)at);
    }

    private static bool Contains(byte[] haystack, string needle)
    {
        byte[] pattern = Encoding.ASCII.GetBytes(needle);
        for (int i = Array.IndexOf(haystack, pattern[0]); i >= 0 && i <= haystack.Length - pattern.Length; i = Array.IndexOf(haystack, pattern[0], i + 1))
        {
            int k = 1;
            while (k < pattern.Length && haystack[i + k] == pattern[k]) k++;
            if (k == pattern.Length) return true;
        }
        return false;
    }
}
