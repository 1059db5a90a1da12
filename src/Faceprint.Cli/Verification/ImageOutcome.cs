namespace Faceprint.Cli.Verification;

/// <summary>What embedding one evaluation image gave: an embedding, no face, or a load failure with its reason.</summary>
internal sealed record ImageOutcome(float[]? Embedding, string? Failure)
{
    /// <summary>The most prominent face was embedded.</summary>
    public static ImageOutcome Embedded(float[] embedding) => new(embedding, null);

    /// <summary>The image loaded but the detector found no face.</summary>
    public static ImageOutcome NoFace { get; } = new(null, null);

    /// <summary>The image could not be loaded; it counts like an image with no face.</summary>
    public static ImageOutcome Failed(string reason) => new(null, reason);
}
