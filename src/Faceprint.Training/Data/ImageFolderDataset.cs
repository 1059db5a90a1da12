using Faceprint.Imaging;

namespace Faceprint.Training.Data;

/// <summary>
/// Aligned faces in plain folders, one sub-folder per identity (<c>root/person/image.jpg</c>). Identities are numbered in
/// ordinal order of their folder names and images in ordinal order of their file names, so the numbering is reproducible.
/// </summary>
public sealed class ImageFolderDataset : IFaceDataset
{
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp", ".webp" };
    private readonly string[] _paths;
    private readonly int[] _labels;

    /// <summary>Lists the images under <paramref name="root"/>.</summary>
    /// <exception cref="FaceprintException">The folder is missing or holds no images.</exception>
    public ImageFolderDataset(string root)
    {
        if (!Directory.Exists(root))
            throw new FaceprintException($"training image folder not found: {root}");
        var identities = Directory.GetDirectories(root).Order(StringComparer.Ordinal).ToArray();
        var paths = new List<string>();
        var labels = new List<int>();
        var names = new List<string>();
        foreach (var folder in identities)
        {
            var files = Directory.GetFiles(folder).Where(f => Extensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal).ToArray();
            if (files.Length == 0)
                continue;
            foreach (var file in files)
            {
                paths.Add(file);
                labels.Add(names.Count);
            }
            names.Add(Path.GetFileName(folder));
        }
        if (paths.Count == 0)
            throw new FaceprintException($"no images in identity sub-folders of {root} (expected root/person/image.jpg)");
        _paths = [.. paths];
        _labels = [.. labels];
        ClassNames = names;
    }

    /// <summary>Folder name of each class, by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc />
    public int Count => _paths.Length;

    /// <inheritdoc />
    public int ClassCount => ClassNames.Count;

    /// <summary>Path of image <paramref name="index"/>.</summary>
    public string PathOf(int index) => _paths[index];

    /// <summary>Label of image <paramref name="index"/>, known without decoding it.</summary>
    public int LabelOf(int index) => _labels[index];

    /// <inheritdoc />
    public FaceSample Load(int index) =>
        new(ImageLoader.Decode(File.ReadAllBytes(_paths[index]), sourceName: _paths[index]), _labels[index]);
}
