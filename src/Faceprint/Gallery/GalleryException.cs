namespace Faceprint.Gallery;

/// <summary>A gallery operation was refused: an invalid embedding, a bad argument or a damaged store.</summary>
public class GalleryException : FaceprintException
{
    /// <summary>Creates the error with a one-line message.</summary>
    public GalleryException(string message) : base(message) { }

    /// <summary>Creates the error with a one-line message and its cause.</summary>
    public GalleryException(string message, Exception inner) : base(message, inner) { }
}
