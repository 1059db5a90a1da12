namespace Faceprint.Gallery;

/// <summary>The store's database failed (I/O, connection, corruption): not a refusal of what was asked.</summary>
public sealed class GalleryStorageException : GalleryException
{
    /// <summary>Creates the error with a one-line message and the driver's error.</summary>
    public GalleryStorageException(string message, Exception inner) : base(message, inner) { }
}
