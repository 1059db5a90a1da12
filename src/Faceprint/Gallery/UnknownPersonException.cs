namespace Faceprint.Gallery;

/// <summary>Verification named a person who has no templates in the gallery.</summary>
public sealed class UnknownPersonException : GalleryException
{
    /// <summary>Creates the error naming the person.</summary>
    public UnknownPersonException(string personId)
        : base($"person '{personId}' is not enrolled in the gallery") => PersonId = personId;

    /// <summary>The person that was asked for.</summary>
    public string PersonId { get; }
}
