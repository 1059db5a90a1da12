using Faceprint.Import.PyTorch;
using Faceprint.Import.Safetensors;

namespace Faceprint.Import.Checkpoints;

/// <summary>
/// Reads trained weights from a PyTorch checkpoint (.pt/.pth) or a safetensors file, telling them apart by content
/// (zip signature versus a length-prefixed JSON header), not by extension.
/// </summary>
public static class CheckpointReader
{
    private const int SniffLength = 16;

    /// <summary>Reads the checkpoint at <paramref name="path"/>.</summary>
    public static TensorDictionary Read(string path)
    {
        var head = new byte[SniffLength];
        int got;
        using (var file = OpenFile(path, FileOptions.None)) got = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return IsSafetensors(head.AsSpan(0, got)) ? SafetensorsReader.Read(path) : PyTorchCheckpointReader.Read(path);
    }

    /// <summary>Reads the checkpoint at <paramref name="path"/>.</summary>
    public static async Task<TensorDictionary> ReadAsync(string path, CancellationToken ct = default)
    {
        var head = new byte[SniffLength];
        int got;
        await using (var file = OpenFile(path, FileOptions.Asynchronous)) got = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        return IsSafetensors(head.AsSpan(0, got)) ? await SafetensorsReader.ReadAsync(path, ct) : await PyTorchCheckpointReader.ReadAsync(path, ct);
    }

    /// <summary>
    /// True for a safetensors file; everything else goes to the PyTorch reader, which explains what a file
    /// that is neither is (legacy torch.save, not a zip, …).
    /// </summary>
    private static bool IsSafetensors(ReadOnlySpan<byte> head) => !PyTorchCheckpointReader.IsZip(head) && SafetensorsReader.LooksLikeSafetensors(head);

    private static FileStream OpenFile(string path, FileOptions options)
    {
        if (!File.Exists(path)) throw new ModelFormatException($"checkpoint not found: {path}");
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, SniffLength, options);
    }
}
