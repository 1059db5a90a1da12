namespace Faceprint.Gallery;

/// <summary>
/// A command that only reads or edits a gallery was pointed at a place that holds none (a missing SQLite file, or a
/// database without the gallery tables); nothing was created there.
/// </summary>
public sealed class GalleryNotFoundException : GalleryException
{
    /// <summary>Creates the error for the gallery <paramref name="location"/> names (shown as given, password hidden).</summary>
    public GalleryNotFoundException(string location) : base($"no gallery at {location}") => Location = location;

    /// <summary>Where the gallery was looked for.</summary>
    public string Location { get; }
}
