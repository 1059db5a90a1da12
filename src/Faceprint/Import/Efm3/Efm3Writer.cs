using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Faceprint.Import.Efm3;

/// <summary>
/// Writes FaceX "EFM3" weight files (SPEC §3) from a train-form <see cref="Efm3Model"/>: magic, version 3, the
/// 80-byte architecture header, a JSON debug copy of it, then every tensor as a byte count and raw fp32 data.
/// </summary>
public static class Efm3Writer
{
    /// <summary>The file's bytes.</summary>
    public static byte[] ToBytes(Efm3Model model)
    {
        var stream = new MemoryStream();
        Write(model, stream);
        return stream.ToArray();
    }

    /// <summary>Writes the file atomically (temp file, then rename).</summary>
    public static void Save(Efm3Model model, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temp = path + ".tmp-" + Environment.ProcessId;
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write)) Write(model, file);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Writes the file to <paramref name="stream"/>.</summary>
    public static void Write(Efm3Model model, Stream stream)
    {
        var h = model.Header;
        Span<byte> head = stackalloc byte[Efm3Reader.JsonLengthOffset];
        head.Clear();
        Efm3Reader.Magic.CopyTo(head);
        BinaryPrimitives.WriteUInt32LittleEndian(head[4..], Efm3Reader.FormatVersion);
        head[8] = Efm3Header.Version;
        head[9] = checked((byte)h.Stages.Count);
        head[10] = checked((byte)h.StemKernel);
        head[11] = checked((byte)h.StemStride);
        BinaryPrimitives.WriteUInt16LittleEndian(head[12..], checked((ushort)h.StemChannels));
        BinaryPrimitives.WriteUInt16LittleEndian(head[14..], checked((ushort)h.BlockChannels));
        BinaryPrimitives.WriteUInt16LittleEndian(head[16..], checked((ushort)h.FinalChannels));
        BinaryPrimitives.WriteUInt16LittleEndian(head[18..], checked((ushort)h.EmbeddingSize));
        head[20] = checked((byte)h.GdKernel);
        for (int i = 0; i < h.Stages.Count; i++)
        {
            head[24 + 8 * i] = checked((byte)h.Stages[i].Expansion);
            head[25 + 8 * i] = checked((byte)h.Stages[i].Blocks);
            head[26 + 8 * i] = checked((byte)h.Stages[i].Stride);
        }
        stream.Write(head);

        byte[] json = System.Text.Encoding.UTF8.GetBytes(DebugJson(h).ToJsonString());
        WriteUInt32(stream, (uint)json.Length);
        stream.Write(json);
        var tensors = model.Convs.SelectMany(c => c.FileTensors()).ToList();
        WriteUInt32(stream, (uint)tensors.Count);
        foreach (var t in tensors)
        {
            WriteUInt32(stream, checked((uint)(4 * t.Length)));
            stream.Write(MemoryMarshal.AsBytes(t.AsSpan()));
        }
    }

    /// <summary>The human-readable copy of the header FaceX stores (readers ignore it).</summary>
    private static JsonObject DebugJson(Efm3Header h) => new()
    {
        ["arch"] = "mobilefacenet",
        ["stem_channels"] = h.StemChannels,
        ["block_channels"] = h.BlockChannels,
        ["final_channels"] = h.FinalChannels,
        ["embedding_dim"] = h.EmbeddingSize,
        ["gdconv_kernel"] = h.GdKernel,
        ["stages"] = new JsonArray(h.Stages.Select(s => (JsonNode)new JsonArray(s.Expansion, s.Blocks, s.Stride)).ToArray()),
    };

    private static void WriteUInt32(Stream stream, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        stream.Write(b);
    }
}
