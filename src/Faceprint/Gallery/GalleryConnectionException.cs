namespace Faceprint.Gallery;

/// <summary>
/// A gallery connection string is malformed or names a store this build does not have: a configuration mistake,
/// as opposed to a store that exists but cannot be reached or read.
/// </summary>
public sealed class GalleryConnectionException : GalleryException
{
    /// <summary>Creates the error with a one-line message.</summary>
    public GalleryConnectionException(string message) : base(message) { }

    /// <summary>Creates the error with a one-line message and its cause.</summary>
    public GalleryConnectionException(string message, Exception inner) : base(message, inner) { }
}
