using System.Text.Json.Serialization;

namespace Faceprint.Models.Mtcnn;

/// <summary>Max pooling after a conv: window, stride, and TensorFlow SAME (true) or VALID padding.</summary>
public sealed record PoolSpec(
    [property: JsonPropertyName("kernel")] int Kernel,
    [property: JsonPropertyName("stride")] int Stride,
    [property: JsonPropertyName("same")] bool Same);

/// <summary>A VALID conv with PReLU, optionally followed by max pooling.</summary>
public sealed record ConvStageSpec(
    [property: JsonPropertyName("channels")] int Channels,
    [property: JsonPropertyName("kernel")] int Kernel,
    [property: JsonPropertyName("pool")] PoolSpec? Pool);

/// <summary>An output head: name, width, and whether a softmax follows (the face/non-face probability).</summary>
public sealed record HeadSpec(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("outputs")] int Outputs,
    [property: JsonPropertyName("softmax")] bool Softmax);

/// <summary>
/// One network of the MTCNN cascade as data. P-Net is fully convolutional (no dense layers, 1×1 conv heads,
/// any input size); R-Net and O-Net flatten into dense PReLU layers with linear heads at a fixed input size.
/// </summary>
public sealed record CascadeNetConfig
{
    /// <summary>Network name (pnet, rnet, onet).</summary>
    [JsonPropertyName("name")] public string Name { get; init; } = "";

    /// <summary>Fixed input side, or 0 for a fully convolutional net.</summary>
    [JsonPropertyName("input_size")] public int InputSize { get; init; }

    /// <summary>Conv stages.</summary>
    [JsonPropertyName("convs")] public IReadOnlyList<ConvStageSpec> Convs { get; init; } = [];

    /// <summary>Widths of the dense PReLU layers after flattening (empty for P-Net).</summary>
    [JsonPropertyName("dense")] public IReadOnlyList<int> Dense { get; init; } = [];

    /// <summary>Output heads in output order.</summary>
    [JsonPropertyName("heads")] public IReadOnlyList<HeadSpec> Heads { get; init; } = [];

    /// <summary>MTCNN's proposal net (12×12 receptive field, stride 2).</summary>
    public static CascadeNetConfig PNet => new()
    {
        Name = "pnet",
        Convs = [new(10, 3, new PoolSpec(2, 2, true)), new(16, 3, null), new(32, 3, null)],
        Heads = [new("prob", 2, true), new("box", 4, false)],
    };

    /// <summary>MTCNN's refine net on 24×24 crops.</summary>
    public static CascadeNetConfig RNet => new()
    {
        Name = "rnet",
        InputSize = 24,
        Convs = [new(28, 3, new PoolSpec(3, 2, true)), new(48, 3, new PoolSpec(3, 2, false)), new(64, 2, null)],
        Dense = [128],
        Heads = [new("prob", 2, true), new("box", 4, false)],
    };

    /// <summary>MTCNN's output net on 48×48 crops, with five landmarks.</summary>
    public static CascadeNetConfig ONet => new()
    {
        Name = "onet",
        InputSize = 48,
        Convs = [new(32, 3, new PoolSpec(3, 2, true)), new(64, 3, new PoolSpec(3, 2, false)), new(64, 3, new PoolSpec(2, 2, true)), new(128, 2, null)],
        Dense = [256],
        Heads = [new("prob", 2, true), new("box", 4, false), new("landmarks", 10, false)],
    };
}
