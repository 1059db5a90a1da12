namespace Faceprint.Gallery;

/// <summary>A person id breaks the <see cref="PersonIds">person id rule</see>.</summary>
public sealed class InvalidPersonIdException : GalleryException
{
    /// <summary>Creates the error with a one-line message.</summary>
    public InvalidPersonIdException(string message) : base(message) { }
}
