namespace Faceprint.Tests.Gallery;

/// <summary>A scratch folder for gallery files, deleted with everything in it on dispose.</summary>
internal sealed class TempGalleryDirectory : IDisposable
{
    public TempGalleryDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "faceprint-gallery-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { } // A leaked handle must not fail the test that already ran.
    }
}
