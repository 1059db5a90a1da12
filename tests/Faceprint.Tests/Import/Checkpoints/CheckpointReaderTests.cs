using Faceprint.Import.Checkpoints;
using Faceprint.Import.PyTorch;
using Faceprint.Import.Safetensors;

namespace Faceprint.Tests.Import.Checkpoints;

public sealed class CheckpointReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("faceprint-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly CheckpointTensor[] Tensors = [new("fc.weight", [2], TensorElementType.Float32, [0.5f, -1])];

    [Fact]
    public async Task FormatIsChosenByContentNotExtension()
    {
        string torchAsBin = Path.Combine(_dir, "weights.bin");
        string safetensorsAsPt = Path.Combine(_dir, "weights.pt");
        PyTorchCheckpointWriter.Write(torchAsBin, Tensors);
        SafetensorsWriter.Write(safetensorsAsPt, Tensors);

        foreach (string path in new[] { torchAsBin, safetensorsAsPt })
        {
            Assert.Equal(new[] { 0.5f, -1f }, CheckpointReader.Read(path)["fc.weight"].Data);
            Assert.Equal(new[] { 0.5f, -1f }, (await CheckpointReader.ReadAsync(path))["fc.weight"].Data);
        }
    }

    [Fact]
    public async Task OtherFilesAreExplained()
    {
        string text = Path.Combine(_dir, "notes.pt");
        await File.WriteAllTextAsync(text, "hello, not a checkpoint");
        Assert.Contains("notes.pt: not a PyTorch checkpoint", (await Assert.ThrowsAsync<ModelFormatException>(() => CheckpointReader.ReadAsync(text))).Message);
        Assert.Contains("not found", Assert.Throws<ModelFormatException>(() => CheckpointReader.Read(Path.Combine(_dir, "missing.pt"))).Message);
    }
}
