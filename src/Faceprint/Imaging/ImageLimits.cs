namespace Faceprint.Imaging;

/// <summary>
/// Size limits checked before an image is decoded, so that a hostile or mistaken file (a decompression bomb,
/// a 1 GB scan) fails fast with a clear message instead of exhausting memory.
/// </summary>
public sealed record ImageLimits
{
    /// <summary>The limits used when none are given: 64 Mpx (e.g. 8000x8000) and 100 MB of encoded data.</summary>
    public static ImageLimits Default { get; } = new();

    /// <summary>Largest width·height accepted; checked from the header before any pixel is decoded.</summary>
    public long MaxPixels
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            field = value;
        }
    } = 64_000_000;

    /// <summary>Largest encoded (file) size in bytes accepted; 100 MB (decimal) by default.</summary>
    public long MaxBytes
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            field = value;
        }
    } = 100_000_000;

    /// <summary>
    /// Largest number of pixels actually decoded, or null to decode every image at full size. A larger image (still
    /// within <see cref="MaxPixels"/>) is decoded straight to a reduced size where the codec allows it (JPEG and WebP
    /// scale while decoding; PNG, BMP and GIF rows are averaged as they stream), so its memory and the detector's work
    /// stay bounded however large the image claims to be; one that cannot be decoded that way is refused.
    /// </summary>
    public long? MaxDecodePixels
    {
        get;
        init
        {
            if (value is { } v)
                ArgumentOutOfRangeException.ThrowIfNegativeOrZero(v);
            field = value;
        }
    }
}
