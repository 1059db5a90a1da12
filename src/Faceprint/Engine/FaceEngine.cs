using Faceprint.Alignment;
using Faceprint.Core.Weights;
using Faceprint.Detection;
using Faceprint.Imaging;
using Faceprint.Liveness;
using Faceprint.Models;
using Faceprint.Preprocessing;
using Faceprint.Recognition;
using Faceprint.Storage;

namespace Faceprint.Engine;

/// <summary>
/// The public entry point: detect faces, align them, embed them, compare them. One engine holds the
/// loaded networks and is safe to share between threads; dispose it when done.
/// </summary>
public sealed class FaceEngine : IDisposable
{
    private readonly DetectionChain _detector;
    private readonly IFaceEmbedder _embedder;
    private readonly FaceEngineOptions _options;
    private readonly AntiSpoofingScorer? _liveness;
    private bool _disposed;

    private FaceEngine(DetectionChain detector, IFaceEmbedder embedder, string embedderId, float threshold, FaceEngineOptions options, AntiSpoofingScorer? liveness)
    {
        _liveness = liveness;
        _detector = detector;
        _embedder = embedder;
        EmbedderId = embedderId;
        Threshold = threshold;
        _options = options;
    }

    /// <summary>Identity of the embedding model; embeddings from different models must not be compared.</summary>
    public string EmbedderId { get; }

    /// <summary>Cosine similarity at or above which two faces count as the same person (NaN: none, see <see cref="HasThreshold"/>).</summary>
    public float Threshold { get; }

    /// <summary>How the default threshold was measured, with thresholds by false-accept rate; null for a model of one's own.</summary>
    public ThresholdCalibration? Calibration => EmbedderId == DefaultModels.EmbedderId ? DefaultModels.CalibrationFor(_options.Precision) : null;

    /// <summary>False for a model of the user's own loaded without a threshold: it can embed but not decide same/different.</summary>
    public bool HasThreshold => !float.IsNaN(Threshold);

    /// <summary>Multiply-accumulates the embedding network spends on one face.</summary>
    public long EmbedderMacsPerFace => _embedder.MacsPerFace;

    /// <summary>Length of the embeddings.</summary>
    public int EmbeddingSize => _embedder.Dimension;

    /// <summary>Creates an engine on the default models, pulling and converting them on first use.</summary>
    public static async Task<FaceEngine> CreateAsync(FaceEngineOptions? options = null, IProgress<string>? log = null, CancellationToken ct = default)
    {
        options ??= new FaceEngineOptions();
        var home = options.Home is null ? FaceprintHome.Default : new FaceprintHome(options.Home);
        var paths = await DefaultModels.EnsureAsync(home, log, ct).ConfigureAwait(false);
        var fallback = options.FallbackDetector ? await DefaultModels.EnsureBlazeFaceAsync(home, log, ct).ConfigureAwait(false) : null;
        var antiSpoofing = options.Liveness ? await AntiSpoofingModel.EnsureAsync(home, log, ct).ConfigureAwait(false) : null;
        if (options.EmbedderModel is not { } model)
            return Load(paths, DefaultModels.EmbedderId, DefaultModels.ThresholdFor(options.Precision), options, fallback, antiSpoofing);
        // A name of the model zoo (and not a file of that name) selects a pretrained embedder pulled on first use.
        if (!File.Exists(model) && ZooEmbedders.Find(model) is { } zoo)
        {
            if (options.Precision != EmbedderPrecision.Fp32)
                throw new ModelFormatException($"{model}: the model zoo runs in fp32 only; int8 needs a quantized .fpm (faceprint models quantize)");
            var embedder = await ZooEmbedders.LoadAsync(zoo, home, paths, Math.Max(1, options.Threads), options.FlipAverage, log, ct).ConfigureAwait(false);
            return new FaceEngine(Detector(paths, fallback, options), embedder, zoo.EmbedderId, options.Threshold ?? zoo.Threshold, options,
                Liveness(antiSpoofing, options));
        }
        // Parsed once here and handed to Build, rather than loaded again from the path.
        var file = ModelFile.Load(model);
        // A model of the user's own has no calibrated threshold: NaN until the caller gives one.
        return Build(paths, fallback, file, EmbedderIdOf(model, file), float.NaN, options, antiSpoofing);
    }

    /// <summary>"family-D/sha256:first 12 hex digits" of a model file: galleries refuse to mix embeddings of different files.</summary>
    private static string EmbedderIdOf(string path, ModelFile file)
    {
        var blueprint = ModelFamilies.Blueprint(Path.GetFileNameWithoutExtension(path), file.Family, file.Config);
        if (blueprint.InputSize != FaceAligner.Size)
            throw new ModelFormatException($"{path}: the model takes {blueprint.InputSize}x{blueprint.InputSize} faces; aligned faces are {FaceAligner.Size}x{FaceAligner.Size}");
        using var stream = File.OpenRead(path);
        string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream))[..12];
        return $"{file.Family}-{blueprint.EmbeddingSize}/sha256:{hash}";
    }

    /// <summary>
    /// Creates an engine from converted model files; <paramref name="fallback"/> adds the BlazeFace detectors the chain
    /// falls back to when MTCNN finds nothing (with <see cref="FaceEngineOptions.FallbackDetector"/> on);
    /// <paramref name="antiSpoofing"/>, the TFLite file of <see cref="AntiSpoofingModel"/>, enables <see cref="ScoreLiveness"/>.
    /// With int8 precision the embedder's int8 file (<see cref="FaceModelPaths.Int8Embedder"/>) is loaded where there is one.
    /// </summary>
    public static FaceEngine Load(FaceModelPaths paths, string embedderId, float threshold, FaceEngineOptions? options = null,
        BlazeFaceModelPaths? fallback = null, string? antiSpoofing = null) =>
        Build(paths, fallback, ModelFile.Load(options?.Precision == EmbedderPrecision.Int8 && paths.Int8Embedder is { } int8 ? int8 : paths.Embedder),
            embedderId, threshold, options, antiSpoofing);

    private static FaceEngine Build(FaceModelPaths paths, BlazeFaceModelPaths? fallback, ModelFile embedderFile, string embedderId, float threshold,
        FaceEngineOptions? options, string? antiSpoofing)
    {
        options ??= new FaceEngineOptions();
        var detector = Detector(paths, fallback, options);
        var embedder = FaceEmbedder.FromModelFile(embedderFile, options.Precision, Math.Max(1, options.Threads), options.FlipAverage);
        return new FaceEngine(detector, embedder, embedderId, options.Threshold ?? threshold, options, Liveness(antiSpoofing, options));
    }

    private static AntiSpoofingScorer? Liveness(string? antiSpoofing, FaceEngineOptions options) => antiSpoofing is null ? null
        : AntiSpoofingScorer.Load(antiSpoofing, Math.Max(1, options.Threads), options.LivenessThreshold ?? AntiSpoofingModel.Threshold);

    private static DetectionChain Detector(FaceModelPaths paths, BlazeFaceModelPaths? fallback, FaceEngineOptions options)
    {
        options.Detection.Validate();
        int threads = Math.Max(1, options.Threads);
        var nets = (PNet: ModelFamilies.Build(ModelFile.Load(paths.PNet)), RNet: ModelFamilies.Build(ModelFile.Load(paths.RNet)),
            ONet: ModelFamilies.Build(ModelFile.Load(paths.ONet)));
        if (options.Int8Detection) nets = DefaultDetectorQuantization.Quantization.Apply(nets.PNet, nets.RNet, nets.ONet);
        var mtcnn = new MtcnnDetector(nets.PNet, nets.RNet, nets.ONet, threads);
        // Short range first: about 1 ms, and on lfw-dev it found every tight crop and turned head; full range then
        // catches the small, distant faces short range misses.
        IReadOnlyList<BlazeFaceDetector> fallbacks = fallback is not null && options.FallbackDetector
            ? [BlazeFaceDetector.Load(fallback.ShortRange, BlazeFaceModel.ShortRange, threads), BlazeFaceDetector.Load(fallback.FullRange, BlazeFaceModel.FullRange, threads)]
            : [];
        return new DetectionChain(mtcnn, fallbacks, options.RetryWithBorder);
    }

    /// <summary>Loads an image with the engine's size limits (EXIF orientation applied).</summary>
    public Task<RgbImage> LoadImageAsync(string path, CancellationToken ct = default) =>
        ImageLoader.LoadAsync(path, new ImageLimits { MaxPixels = _options.MaxPixels }, ct);

    /// <summary>Which face <see cref="EmbedSubject"/> picks unless told otherwise.</summary>
    public FaceChoice FaceChoice => _options.FaceChoice;

    /// <summary>
    /// Finds the faces in an image, best score first, through the <see cref="DetectionChain"/>: MTCNN, then (only when
    /// nothing was found) MTCNN on the photo with a black border, then the BlazeFace fallback. Faces found with the
    /// border may have boxes reaching past the photo's edges; each face says which detector found it.
    /// </summary>
    public IReadOnlyList<DetectedFace> Detect(RgbImage image, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _detector.Detect(image, _options.Detection, ct);
    }

    /// <summary>The 112×112 aligned crop of a detected face.</summary>
    public RgbImage Align(RgbImage image, DetectedFace face) => FaceAligner.Align(image, face);

    /// <summary>L2-normalised embeddings of the given faces of one image, in order.</summary>
    public IReadOnlyList<float[]> Embed(RgbImage image, IReadOnlyList<DetectedFace> faces)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _embedder.Embed(image, faces);
    }

    /// <summary>
    /// L2-normalised embedding of an already aligned 112×112 face, written to <paramref name="destination"/>
    /// (<see cref="EmbeddingSize"/> floats); allocation-free after the first call.
    /// </summary>
    public void EmbedAligned(RgbImage face, Span<float> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _embedder.EmbedAlignedInto(face, destination);
    }

    /// <summary>L2-normalised embeddings of already aligned 112×112 faces, one batch.</summary>
    public float[][] EmbedAligned(IReadOnlyList<RgbImage> faces)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _embedder.EmbedAligned(faces);
    }

    /// <summary>
    /// Raw, unnormalised network outputs of already aligned 112×112 faces, run as one batch, written to
    /// <paramref name="destination"/> (faces.Count · <see cref="EmbeddingSize"/> floats, face after face).
    /// </summary>
    public void EmbedAlignedRaw(IReadOnlyList<RgbImage> faces, Span<float> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _embedder.EmbedAlignedRaw(faces, destination);
    }

    /// <summary>Detects and embeds every face of an image.</summary>
    public IReadOnlyList<EmbeddedFace> DetectAndEmbed(RgbImage image, CancellationToken ct = default)
    {
        var faces = Detect(image, ct);
        var embeddings = Embed(image, faces);
        return faces.Select((f, i) => new EmbeddedFace(f, embeddings[i])).ToList();
    }

    /// <summary>
    /// The photo's subject — the face <paramref name="choice"/> (default <see cref="FaceChoice"/>) picks — with its
    /// embedding and which of the detected faces it was; throws <see cref="NoFaceException"/> if there is none.
    /// </summary>
    public EmbeddedFace EmbedSubject(RgbImage image, string sourceName, FaceChoice? choice = null, CancellationToken ct = default)
    {
        var faces = Detect(image, ct);
        if (faces.Count == 0) throw new NoFaceException($"no face found in {sourceName}");
        int index = SubjectSelection.IndexOf(faces, image.Width, image.Height, choice ?? FaceChoice);
        return new EmbeddedFace(faces[index], Embed(image, [faces[index]])[0]) { FaceIndex = index, FacesFound = faces.Count };
    }

    /// <summary>True when the engine was created with the anti-spoofing network (<see cref="FaceEngineOptions.Liveness"/>).</summary>
    public bool HasLiveness => _liveness is not null;

    /// <summary>Liveness score below which a face counts as live; null without the anti-spoofing network.</summary>
    public float? LivenessThreshold => _liveness?.Threshold;

    /// <summary>
    /// The anti-spoofing score and verdict of each given face of one image, in order (<see cref="AntiSpoofingScorer"/>);
    /// needs an engine created with <see cref="FaceEngineOptions.Liveness"/>.
    /// </summary>
    public IReadOnlyList<LivenessResult> ScoreLiveness(RgbImage image, IReadOnlyList<DetectedFace> faces)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(faces);
        var scorer = _liveness ?? throw new InvalidOperationException("this engine was created without the anti-spoofing network (FaceEngineOptions.Liveness)");
        return faces.Select(f => scorer.Score(image, f)).ToList();
    }

    /// <summary>Cosine similarity of two embeddings.</summary>
    public float Compare(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Embedding.Cosine(a, b);

    /// <summary>Compares the subject (<see cref="FaceChoice"/>) of two photos.</summary>
    public async Task<FaceComparison> CompareAsync(string pathA, string pathB, CancellationToken ct = default)
    {
        var imageA = await LoadImageAsync(pathA, ct).ConfigureAwait(false);
        var imageB = await LoadImageAsync(pathB, ct).ConfigureAwait(false);
        return Compare(EmbedSubject(imageA, pathA, ct: ct), EmbedSubject(imageB, pathB, ct: ct));
    }

    /// <summary>Similarity of two embedded faces and the same/different verdict at <see cref="Threshold"/>.</summary>
    public FaceComparison Compare(EmbeddedFace a, EmbeddedFace b)
    {
        if (!HasThreshold)
            throw new FaceprintException($"model {EmbedderId} has no calibrated threshold: give one (faceprint eval pairs reports the best on labelled pairs)");
        float similarity = Compare(a.Embedding, b.Embedding);
        return new FaceComparison(similarity, Threshold, similarity >= Threshold, a.Face, b.Face);
    }

    /// <summary>
    /// The most prominent face of an image: largest box after a penalty for distance from the image centre
    /// (<see cref="SubjectSelection.Prominence"/>); ties go to the higher score.
    /// </summary>
    public static DetectedFace MostProminent(IReadOnlyList<DetectedFace> faces, RgbImage image) =>
        faces[SubjectSelection.IndexOf(faces, image.Width, image.Height, FaceChoice.Prominent)];

    /// <inheritdoc />
    public void Dispose() => _disposed = true;
}
