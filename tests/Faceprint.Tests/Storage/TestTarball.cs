using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Faceprint.Tests.Storage;

/// <summary>Builds small npm-style .tgz files in memory, so fetcher tests need no network.</summary>
internal static class TestTarball
{
    /// <summary>Writes a .tgz holding <paramref name="entries"/> (path inside the tarball → content) and returns its SHA-256.</summary>
    public static string Write(string path, IEnumerable<(string Name, byte[] Content)> entries)
    {
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (name, content) in entries)
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
        }
        return Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
    }

    /// <summary>Deterministic fake model bytes, distinct per name.</summary>
    public static byte[] Content(string name) => System.Text.Encoding.UTF8.GetBytes($"fake model {name}\n");
}
