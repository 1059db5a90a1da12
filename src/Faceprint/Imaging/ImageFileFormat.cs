namespace Faceprint.Imaging;

/// <summary>A file format <see cref="ImageWriter"/> can write.</summary>
public enum ImageFileFormat
{
    /// <summary>8-bit RGB PNG, lossless (<c>.png</c>).</summary>
    Png,

    /// <summary>Baseline JPEG at quality <see cref="ImageWriter.JpegQuality"/> (<c>.jpg</c>, <c>.jpeg</c>).</summary>
    Jpeg,
}
