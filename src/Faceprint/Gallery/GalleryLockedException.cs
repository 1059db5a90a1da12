namespace Faceprint.Gallery;

/// <summary>The gallery is busy: another connection held its write lock for longer than the store waits.</summary>
public sealed class GalleryLockedException : GalleryException
{
    /// <summary>Creates the error with a one-line message and the driver's error.</summary>
    public GalleryLockedException(string message, Exception inner) : base(message, inner) { }
}
