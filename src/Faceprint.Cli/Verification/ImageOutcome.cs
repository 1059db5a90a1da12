using Faceprint.Engine;

namespace Faceprint.Cli.Verification;

/// <summary>What one evaluation image gave: its embedded subject face, no face, or a load failure with its reason.</summary>
internal sealed record ImageOutcome(EmbeddedFace? Subject, string? Failure)
{
    /// <summary>The subject's embedding, null when there is none.</summary>
    public float[]? Embedding => Subject?.Embedding;

    /// <summary>The subject face was embedded.</summary>
    public static ImageOutcome Embedded(EmbeddedFace subject) => new(subject, null);

    /// <summary>The image loaded but the detector found no face.</summary>
    public static ImageOutcome NoFace { get; } = new(null, null);

    /// <summary>The image could not be loaded; it counts like an image with no face.</summary>
    public static ImageOutcome Failed(string reason) => new(null, reason);
}
