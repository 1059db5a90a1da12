using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;
using Faceprint.Detection.BlazeFace;
using Faceprint.Imaging;
using Faceprint.Import.TfLite;
using Faceprint.Preprocessing;

namespace Faceprint.Detection;

/// <summary>
/// MediaPipe's BlazeFace single-shot detector, run on the engine from the TFLite graph: the image is scaled into
/// the model's square input with its aspect ratio kept (letterboxed), one network pass scores every SSD anchor, and
/// the decoded boxes and six keypoints are blended by weighted suppression and mapped back to image pixels. One pass
/// at one scale, unlike MTCNN's pyramid and cascade: it sees faces that fill the frame and turned heads that MTCNN
/// misses, and is cheap. Thread-safe: each call rents its own session.
/// </summary>
public sealed class BlazeFaceDetector
{
    /// <summary>The model's input convention: pixels to [−1, 1].</summary>
    private static readonly InputNormalization Norm = InputNormalization.Symmetric127_5;

    private readonly SessionPool _pool;
    private readonly BlazeFaceSpec _spec;
    private readonly float[] _anchors;
    private readonly int _regressorOutput, _scoreOutput;

    /// <summary>Creates the detector over <paramref name="network"/>, the engine graph of <paramref name="model"/>'s TFLite file.</summary>
    /// <exception cref="ModelFormatException">The network's outputs do not fit the model's anchors.</exception>
    public BlazeFaceDetector(Network network, BlazeFaceModel model, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(network);
        Model = model;
        _spec = BlazeFaceSpec.For(model);
        _anchors = SsdAnchors.Centres(_spec);
        var shapes = network.InferShapes(new TensorShape(1, _spec.InputSize, _spec.InputSize, 3));
        if (network.Outputs.Count != 2) throw new ModelFormatException($"{network.Name}: a BlazeFace model has 2 outputs, this one {network.Outputs.Count}");
        // The regressor has 16 values per anchor, the classifier 1; the file's output order is not relied on.
        _regressorOutput = shapes[network.Outputs[0]].C == BlazeFaceSpec.Coordinates ? 0 : 1;
        _scoreOutput = 1 - _regressorOutput;
        int boxes = _anchors.Length / 2;
        if (shapes[network.Outputs[_regressorOutput]].PerImage != boxes * BlazeFaceSpec.Coordinates || shapes[network.Outputs[_scoreOutput]].PerImage != boxes)
            throw new ModelFormatException($"{network.Name}: outputs {shapes[network.Outputs[0]]} and {shapes[network.Outputs[1]]} do not fit {model}'s {boxes} anchors");
        _pool = new SessionPool(network, threads);
    }

    /// <summary>Loads a BlazeFace TFLite file (see <see cref="Engine.DefaultModels.EnsureBlazeFaceAsync"/>) onto the engine.</summary>
    public static BlazeFaceDetector Load(string path, BlazeFaceModel model, int threads = 1) => new(TfLiteImporter.ImportGraph(path), model, threads);

    /// <summary>The model this detector runs.</summary>
    public BlazeFaceModel Model { get; }

    /// <summary>Side of the model's square input.</summary>
    public int InputSize => _spec.InputSize;

    /// <summary>Finds faces, best score first; each carries six keypoints and <see cref="FaceDetectorKind.BlazeFace"/>.</summary>
    public IReadOnlyList<DetectedFace> Detect(RgbImage image, BlazeFaceOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        options ??= new BlazeFaceOptions();
        options.Validate();
        ct.ThrowIfCancellationRequested();
        var box = Letterbox.For(image);
        var candidates = new List<BlazeCandidate>();
        using (var lease = _pool.Rent())
        {
            var session = lease.Session;
            int side = _spec.InputSize;
            var input = session.PrepareInput(new TensorShape(1, side, side, 3));
            InputSampler.ResizeRegion(image, box.X, box.Y, box.Side, box.Side, side, side, Norm, transpose: false, input);
            session.Run();
            BlazeFaceDecoder.Decode(session.Output(_regressorOutput), session.Output(_scoreOutput), _anchors, _spec,
                options.MinScore ?? _spec.DefaultMinScore, candidates);
        }
        if (candidates.Count == 0) return [];
        var kept = WeightedNonMaxSuppression.Apply(candidates, options.SuppressionThreshold);
        return kept.Select(c => ToFace(c, box)).ToList();
    }

    private static DetectedFace ToFace(BlazeCandidate c, Letterbox box)
    {
        var topLeft = box.ToEdges(c.XMin, c.YMin);
        var bottomRight = box.ToEdges(c.XMax, c.YMax);
        var points = new PointF[BlazeFaceSpec.Keypoints];
        for (int k = 0; k < points.Length; k++) points[k] = box.ToPixels(c.Keypoints[2 * k], c.Keypoints[2 * k + 1]);
        return new DetectedFace(new BoundingBox(topLeft.X, topLeft.Y, bottomRight.X, bottomRight.Y), c.Score, points, FaceDetectorKind.BlazeFace);
    }
}
