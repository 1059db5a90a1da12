using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;

namespace Faceprint.Tests.Import.PyTorch;

/// <summary>Builds torch.save-style zip archives from hand-made records, for reader tests.</summary>
internal static class TorchArchive
{
    /// <summary>A zip holding <paramref name="records"/> (names relative to <paramref name="prefix"/>) plus byteorder/version unless given.</summary>
    public static byte[] Build(byte[] pickle, IReadOnlyDictionary<string, byte[]> storages, string prefix = "archive",
        string? byteOrder = "little", string? version = "3\n", CompressionLevel level = CompressionLevel.NoCompression)
    {
        var records = new List<(string, byte[])> { ("data.pkl", pickle) };
        if (byteOrder is not null) records.Add(("byteorder", Encoding.ASCII.GetBytes(byteOrder)));
        records.AddRange(storages.Select(kv => ("data/" + kv.Key, kv.Value)));
        if (version is not null) records.Add(("version", Encoding.ASCII.GetBytes(version)));
        return Zip(records.Select(r => (prefix + "/" + r.Item1, r.Item2)), level);
    }

    public static byte[] Zip(IEnumerable<(string Name, byte[] Data)> entries, CompressionLevel level = CompressionLevel.NoCompression)
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in entries)
            {
                using var s = zip.CreateEntry(name, level).Open();
                s.Write(data);
            }
        }
        return ms.ToArray();
    }

    public static byte[] Floats(params float[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    public static byte[] Longs(params long[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    public static byte[] Halves(params float[] values) => MemoryMarshal.AsBytes(values.Select(v => (Half)v).ToArray().AsSpan()).ToArray();

    public static byte[] BFloat16s(params float[] values) =>
        values.SelectMany(v => BitConverter.GetBytes((ushort)(BitConverter.SingleToUInt32Bits(v) >> 16))).ToArray();

    public static byte[] Doubles(params double[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}
