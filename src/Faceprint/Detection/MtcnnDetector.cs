using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;
using Faceprint.Imaging;
using Faceprint.Preprocessing;

namespace Faceprint.Detection;

/// <summary>
/// The MTCNN cascade: P-Net over an image pyramid proposes windows, R-Net and O-Net refine them on
/// 24×24 and 48×48 crops, O-Net adds five landmarks. The shipped weights descend from the Caffe MTCNN,
/// trained on transposed images, so every input is fed with H and W swapped and P-Net's maps are read
/// back transposed. Thread-safe: each call rents its own sessions.
/// </summary>
public sealed class MtcnnDetector
{
    private const int PNetCell = 12;
    private const int PNetStride = 2;
    private static readonly InputNormalization Norm = InputNormalization.Symmetric128;

    private readonly SessionPool _pnet, _rnet, _onet;
    private readonly NetInputObserver? _observer;

    /// <summary>Creates the detector over the three cascade networks.</summary>
    public MtcnnDetector(Network pnet, Network rnet, Network onet, int threads = 1) : this(pnet, rnet, onet, threads, null)
    {
    }

    /// <summary>As the public constructor; <paramref name="observer"/> sees every input batch just before its net runs (calibration).</summary>
    internal MtcnnDetector(Network pnet, Network rnet, Network onet, int threads, NetInputObserver? observer)
    {
        _pnet = new SessionPool(pnet, threads);
        _rnet = new SessionPool(rnet, threads);
        _onet = new SessionPool(onet, threads);
        _observer = observer;
    }

    /// <summary>Sees the input of one run of a cascade net (0 = P-Net, 1 = R-Net, 2 = O-Net).</summary>
    internal delegate void NetInputObserver(int net, ReadOnlySpan<float> input, TensorShape shape);

    /// <summary>Finds faces, best score first.</summary>
    public IReadOnlyList<DetectedFace> Detect(RgbImage image, MtcnnOptions? options = null, CancellationToken ct = default)
    {
        options ??= new MtcnnOptions();
        options.Validate();
        var candidates = Propose(image, options, ct);
        if (candidates.Count == 0) return [];
        ct.ThrowIfCancellationRequested();
        candidates = Refine(image, candidates, options.RNetThreshold);
        if (candidates.Count == 0) return [];
        ct.ThrowIfCancellationRequested();
        candidates = Output(image, candidates, options.ONetThreshold);
        return candidates.OrderByDescending(c => c.Score).Select(ToFace).ToList();
    }

    private List<Candidate> Propose(RgbImage image, MtcnnOptions options, CancellationToken ct)
    {
        var all = new List<Candidate>();
        float minSide = Math.Min(image.Width, image.Height);
        using var lease = _pnet.Rent();
        var session = lease.Session;
        for (float faceSize = options.MinFaceSize; faceSize <= minSide; faceSize /= options.PyramidFactor)
        {
            ct.ThrowIfCancellationRequested();
            float scale = PNetCell / faceSize;
            int w = (int)MathF.Round(image.Width * scale), h = (int)MathF.Round(image.Height * scale);
            if (w < PNetCell || h < PNetCell) break;
            // Transposed: the network sees an image w tall and h wide.
            var input = session.PrepareInput(new TensorShape(1, w, h, 3));
            InputSampler.ResizeRegion(image, 0, 0, image.Width, image.Height, w, h, Norm, transpose: true, input);
            _observer?.Invoke(0, input, new TensorShape(1, w, h, 3));
            session.Run();
            var prob = session.Output(0);
            var box = session.Output(1);
            var shape = session.OutputShape(0);
            int mapW = shape.H, mapH = shape.W;
            var level = new List<Candidate>();
            for (int y = 0; y < mapH; y++)
                for (int x = 0; x < mapW; x++)
                {
                    int at = x * mapH + y;
                    float score = prob[at * 2 + 1];
                    if (score <= options.PNetThreshold) continue;
                    var c = new Candidate
                    {
                        Score = score,
                        X1 = MathF.Round(x * PNetStride / scale),
                        Y1 = MathF.Round(y * PNetStride / scale),
                        X2 = MathF.Round((x * PNetStride + PNetCell - 1) / scale),
                        Y2 = MathF.Round((y * PNetStride + PNetCell - 1) / scale),
                    };
                    box.Slice(at * 4, 4).CopyTo(c.Regression);
                    level.Add(c);
                }
            all.AddRange(NonMaxSuppression.Apply(level, 0.5f, OverlapMeasure.Union));
        }
        var kept = NonMaxSuppression.Apply(all, 0.7f, OverlapMeasure.Union);
        return CalibrateAndSquare(kept);
    }

    private List<Candidate> Refine(RgbImage image, List<Candidate> candidates, float threshold)
    {
        RunOnCrops(_rnet, 1, image, candidates, 24, readExtra: null);
        var kept = NonMaxSuppression.Apply(candidates.Where(c => c.Score >= threshold).ToList(), 0.7f, OverlapMeasure.Union);
        return CalibrateAndSquare(kept);
    }

    private List<Candidate> Output(RgbImage image, List<Candidate> candidates, float threshold)
    {
        RunOnCrops(_onet, 2, image, candidates, 48, (c, outputs, i) =>
        {
            var raw = outputs[2].Slice(i * 10, 10);
            c.Landmarks = new float[10];
            for (int j = 0; j < 5; j++)
            {
                // Landmarks are relative to the square crop that O-Net saw, before its box is calibrated.
                c.Landmarks[2 * j] = c.X1 + raw[j] * c.Width;
                c.Landmarks[2 * j + 1] = c.Y1 + raw[j + 5] * c.Height;
            }
        });
        var passed = candidates.Where(c => c.Score >= threshold).ToList();
        foreach (var c in passed) c.Calibrate();
        return NonMaxSuppression.Apply(passed, 0.7f, OverlapMeasure.Min);
    }

    private delegate void ReadOutputs(Candidate candidate, OutputSpans outputs, int index);

    private readonly ref struct OutputSpans(InferenceSession session)
    {
        public ReadOnlySpan<float> this[int i] => session.Output(i);
    }

    private static List<Candidate> CalibrateAndSquare(List<Candidate> candidates)
    {
        foreach (var c in candidates)
        {
            c.Calibrate();
            c.MakeSquare();
        }
        return candidates;
    }

    /// <summary>Runs R- or O-Net on every candidate's crop; sets score and box regression, then <paramref name="readExtra"/>.</summary>
    private void RunOnCrops(SessionPool pool, int net, RgbImage image, List<Candidate> candidates, int size, ReadOutputs? readExtra)
    {
        using var lease = pool.Rent();
        var session = lease.Session;
        var input = session.PrepareInput(new TensorShape(candidates.Count, size, size, 3));
        int perImage = size * size * 3;
        for (int i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            InputSampler.ResizeRegion(image, c.X1, c.Y1, c.Width, c.Height, size, size, Norm, transpose: true, input.Slice(i * perImage, perImage));
        }
        _observer?.Invoke(net, input, new TensorShape(candidates.Count, size, size, 3));
        session.Run();
        var outputs = new OutputSpans(session);
        for (int i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            c.Score = outputs[0][i * 2 + 1];
            outputs[1].Slice(i * 4, 4).CopyTo(c.Regression);
            readExtra?.Invoke(c, outputs, i);
        }
    }

    private static DetectedFace ToFace(Candidate c)
    {
        var points = new PointF[5];
        for (int j = 0; j < 5; j++) points[j] = new PointF(c.Landmarks![2 * j], c.Landmarks[2 * j + 1]);
        return new DetectedFace(new BoundingBox(c.X1, c.Y1, c.X2 + 1, c.Y2 + 1), c.Score, points);
    }
}
