// MTCNN on the int8 path, the measurements behind DefaultDetectorQuantization and the detector's precision:
//   dotnet run -c Release --project tools/DetectorInt8 -- calibrate DIR [--keep LAYER,...]
//   dotnet run -c Release --project tools/DetectorInt8 -- compare DIR [--limit N] [--calibration CDIR] [--keep LAYER,...] [--nets pro] [--noise]
//   dotnet run -c Release --project tools/DetectorInt8 -- time IMG [--runs N] [--calibration CDIR]
//   dotnet run -c Release --project tools/DetectorInt8 -- pnet IMG [--runs N]
//   dotnet run -c Release --project tools/DetectorInt8 -- embedders A.fpm B.fpm [--runs N]
// embedders: two quantized embedder files (e.g. `models quantize` with and without --keep-fp32 stem) timed in int8,
// one thread, batch 1, interleaved.
// pnet: per-layer times of P-Net, fp32 and int8, on IMG's first pyramid level at 640x480 (384x288, min face 20).
// calibrate: runs the fp32 cascade on every photo under DIR (recursively) and prints the plans as the C# that
// DefaultDetectorQuantization holds. compare: detects every photo under DIR with the fp32 and the int8 nets (the
// recorded plans, or plans calibrated here on CDIR) and reports faces matched by IoU >= 0.5 (missing / extra), the
// landmark shift in pixels and relative to the fp32 face's inter-ocular distance (mean, p99, max over all points),
// and how many photos each finds no face in. time: IMG scaled to 640x480, one thread, fp32 and int8 interleaved in
// this process: MTCNN alone, and a photo end to end (detect, align and embed the most prominent face; the int8 run
// uses the int8 embedder too). Photos are decoded as the engine decodes them (EXIF orientation applied).
using System.Diagnostics;
using System.Globalization;
using Faceprint;
using Faceprint.Core.Graph;
using Faceprint.Core.Graph.Quantization;
using Faceprint.Core.Weights;
using Faceprint.Detection;
using Faceprint.Engine;
using Faceprint.Imaging;
using Faceprint.Models;
using Faceprint.Storage;

var paths = await DefaultModels.EnsureAsync(FaceprintHome.Default);
var fp32 = (PNet: Build(paths.PNet), RNet: Build(paths.RNet), ONet: Build(paths.ONet));
string command = args[0], target = args[1];
var keep = (Option("--keep") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);

switch (command)
{
    case "calibrate":
        Print(Calibrate(target));
        break;
    case "compare":
        Compare(target, Quantization(), Option("--limit") is { } l ? int.Parse(l, CultureInfo.InvariantCulture) : int.MaxValue);
        break;
    case "pnet":
        PNetLayers(await ImageLoader.LoadAsync(target), Quantization(), Option("--runs") is { } pr ? int.Parse(pr, CultureInfo.InvariantCulture) : 50);
        break;
    case "embedders":
        Embedders(args[1], args[2], Option("--runs") is { } er ? int.Parse(er, CultureInfo.InvariantCulture) : 300);
        break;
    case "time":
        Time(await ImageLoader.LoadAsync(target), Quantization(), Option("--runs") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 30);
        break;
    default:
        throw new ArgumentException($"unknown command {command}");
}

// --nets p, r, o or any mix puts only those nets on int8 (default all three): which net moves the results.
MtcnnQuantization Quantization()
{
    var q = Option("--calibration") is { } dir ? Calibrate(dir) : DefaultDetectorQuantization.Quantization;
    string nets = Option("--nets") ?? "pro";
    var none = new QuantizationPlan(CalibrationMethod.MinMax, 1, new Dictionary<string, Faceprint.Core.Kernels.Int8.QuantParams>(), []);
    return new MtcnnQuantization(nets.Contains('p') ? q.PNet : none, nets.Contains('r') ? q.RNet : none, nets.Contains('o') ? q.ONet : none);
}

static Network Build(string path) => ModelFamilies.Build(ModelFile.Load(path));

string? Option(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static List<string> Photos(string root) => Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories)
    .Where(p => p.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase)
        || p.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".webp", StringComparison.OrdinalIgnoreCase))
    .Order(StringComparer.Ordinal).ToList();

static RgbImage? Load(string path)
{
    try
    {
        return ImageLoader.LoadAsync(path).GetAwaiter().GetResult();
    }
    catch (FaceprintException)
    {
        return null;
    }
}

MtcnnQuantization Calibrate(string root)
{
    var calibrator = new MtcnnCalibrator(fp32.PNet, fp32.RNet, fp32.ONet);
    foreach (var photo in Photos(root))
        if (Load(photo) is { } image) calibrator.Observe(image);
    Console.Error.WriteLine($"calibrated on {calibrator.Photos} photos under {root}");
    return calibrator.Plans(args.Contains("--mean-minmax") ? CalibrationMethod.MeanMinMax : CalibrationMethod.MinMax, keep);
}

static void Print(MtcnnQuantization q)
{
    foreach (var (name, plan) in new[] { ("PNetInputs", q.PNet), ("RNetInputs", q.RNet), ("ONetInputs", q.ONet) })
    {
        Console.WriteLine($"    private static readonly Dictionary<string, QuantParams> {name} = new(StringComparer.Ordinal)");
        Console.WriteLine("    {");
        foreach (var (layer, p) in plan.Inputs.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"        [\"{layer}\"] = new({p.Scale:R}f, {p.ZeroPoint}),"));
        Console.WriteLine("    };");
    }
    Console.WriteLine($"// calibration photos: {q.PNet.CalibrationImages}; kept fp32: {string.Join(", ", q.PNet.KeepFp32.Concat(q.RNet.KeepFp32).Concat(q.ONet.KeepFp32))}");
}

void Compare(string root, MtcnnQuantization q, int limit)
{
    var int8 = q.Apply(fp32.PNet, fp32.RNet, fp32.ONet);
    var reference = new MtcnnDetector(fp32.PNet, fp32.RNet, fp32.ONet);
    var candidate = new MtcnnDetector(int8.PNet, int8.RNet, int8.ONet);
    int photos = 0, faces = 0, matched = 0, missing = 0, extra = 0, noFaceFp32 = 0, noFaceInt8 = 0;
    var pixels = new List<double>();
    var relative = new List<double>();
    var boxShift = new List<double>();
    var worst = new List<(double Shift, string Photo)>();
    foreach (var path in Photos(root).Take(limit))
    {
        if (Load(path) is not { } image) continue;
        photos++;
        var a = reference.Detect(image);
        // --noise: the fp32 detector on the photo with every pixel moved by at most one level, the detector's own noise floor.
        var b = args.Contains("--noise") ? reference.Detect(Nudge(image, path.GetHashCode())) : candidate.Detect(image);
        if (a.Count == 0) noFaceFp32++;
        if (b.Count == 0) noFaceInt8++;
        faces += a.Count;
        var used = new bool[b.Count];
        foreach (var face in a)
        {
            int best = -1;
            double bestIou = 0.5;
            for (int j = 0; j < b.Count; j++)
                if (!used[j] && Iou(face.Box, b[j].Box) is var iou && iou >= bestIou)
                {
                    best = j;
                    bestIou = iou;
                }
            if (best < 0)
            {
                missing++;
                continue;
            }
            used[best] = true;
            matched++;
            var other = b[best];
            double eyes = Distance(face.Landmarks[0], face.Landmarks[1]);
            double faceWorst = 0;
            for (int p = 0; p < face.Landmarks.Count; p++)
            {
                double d = Distance(face.Landmarks[p], other.Landmarks[p]);
                pixels.Add(d);
                relative.Add(d / eyes);
                faceWorst = Math.Max(faceWorst, d / eyes);
            }
            worst.Add((faceWorst, path));
            boxShift.Add(1 - bestIou);
        }
        extra += used.Count(u => !u);
    }
    Console.WriteLine($"photos {photos}, fp32 faces {faces}: matched {matched}, missing {missing}, extra {extra}");
    Console.WriteLine($"no face: fp32 {noFaceFp32} ({100.0 * noFaceFp32 / photos:F2} %), int8 {noFaceInt8} ({100.0 * noFaceInt8 / photos:F2} %)");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"landmark shift px: mean {pixels.Average():F3}, p99 {Percentile(pixels, 0.99):F3}, max {pixels.Max():F3} ({pixels.Count} points)"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"landmark shift / inter-ocular: mean {100 * relative.Average():F3} %, p99 {100 * Percentile(relative, 0.99):F3} %, max {100 * relative.Max():F3} %"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"box 1-IoU: mean {boxShift.Average():F4}, p99 {Percentile(boxShift, 0.99):F4}, max {boxShift.Max():F4}"));
    foreach (var (shift, photo) in worst.OrderByDescending(w => w.Shift).Take(3))
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  worst face: {100 * shift:F2} % of inter-ocular in {photo}"));
}

void Time(RgbImage photo, MtcnnQuantization q, int runs)
{
    var image = ImageOps.Resize(photo, 640, 480);
    var int8 = q.Apply(fp32.PNet, fp32.RNet, fp32.ONet);
    var detectors = new[] { new MtcnnDetector(fp32.PNet, fp32.RNet, fp32.ONet), new MtcnnDetector(int8.PNet, int8.RNet, int8.ONet) };
    var engines = new[]
    {
        FaceEngine.Load(paths, DefaultModels.EmbedderId, DefaultModels.ThresholdFor(EmbedderPrecision.Fp32), new FaceEngineOptions { Threads = 1 }),
        FaceEngine.Load(paths, DefaultModels.EmbedderId, DefaultModels.ThresholdFor(EmbedderPrecision.Int8), new FaceEngineOptions { Threads = 1, Precision = EmbedderPrecision.Int8 }),
    };
    var detect = new List<double>[] { [], [] };
    var pipeline = new List<double>[] { [], [] };
    var embedding = new float[192];
    for (int run = -5; run < runs; run++)
        for (int v = 0; v < 2; v++)
        {
            var watch = Stopwatch.StartNew();
            var faces = detectors[v].Detect(image);
            double detected = watch.Elapsed.TotalMilliseconds;
            var face = engines[v].Align(image, FaceEngine.MostProminent(faces, image));
            engines[v].EmbedAligned(face, embedding);
            double total = watch.Elapsed.TotalMilliseconds;
            if (run < 0) continue;
            detect[v].Add(detected);
            pipeline[v].Add(total);
        }
    double d32 = Median(detect[0]), d8 = Median(detect[1]), p32 = Median(pipeline[0]), p8 = Median(pipeline[1]);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"detect 640x480, 1 thread, median of {runs}: fp32 {d32:F2} ms, int8 {d8:F2} ms, int8/fp32 {d8 / d32:F3}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"detect+align+embed 640x480, 1 thread: fp32 {p32:F2} ms, int8 {p8:F2} ms, int8/fp32 {p8 / p32:F3}"));
}

static RgbImage Nudge(RgbImage image, int seed)
{
    var random = new Random(seed);
    var pixels = (byte[])image.Pixels.Clone();
    for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)Math.Clamp(pixels[i] + random.Next(-1, 2), 0, 255);
    return new RgbImage(image.Width, image.Height, pixels);
}

void PNetLayers(RgbImage photo, MtcnnQuantization q, int runs)
{
    var image = ImageOps.Resize(photo, 640, 480);
    var shape = new Faceprint.Core.Tensors.TensorShape(1, 384, 288, 3);
    var input = new float[shape.Size];
    Faceprint.Preprocessing.InputSampler.ResizeRegion(image, 0, 0, 640, 480, 384, 288, Faceprint.Preprocessing.InputNormalization.Symmetric128, transpose: true, input);
    foreach (var (name, network) in new[] { ("fp32", fp32.PNet), ("int8", q.PNet.Apply(fp32.PNet)) })
    {
        var session = new InferenceSession(network, 1);
        input.CopyTo(session.PrepareInput(shape));
        for (int i = 0; i < 10; i++) session.Run();
        var profile = session.StartProfiling();
        for (int i = 0; i < runs; i++) session.Run();
        foreach (var layer in profile.Layers())
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {layer.Name,-20} {layer.Type,-24} {1000 * layer.Ms,8:F0} us"));
    }
}

static void Embedders(string a, string b, int runs)
{
    var files = new[] { a, b };
    var sessions = files.Select(f => new InferenceSession(Faceprint.Recognition.EmbedderQuantizer.BuildNetwork(ModelFile.Load(f), EmbedderPrecision.Int8), 1)).ToArray();
    var shape = new Faceprint.Core.Tensors.TensorShape(1, 112, 112, 3);
    var random = new Random(3);
    var input = new float[shape.Size];
    for (int i = 0; i < input.Length; i++) input[i] = random.NextSingle() * 2 - 1;
    var times = new[] { new List<double>(), new List<double>() };
    for (int run = -20; run < runs; run++)
        for (int v = 0; v < 2; v++)
        {
            input.CopyTo(sessions[v].PrepareInput(shape));
            var watch = Stopwatch.StartNew();
            sessions[v].Run();
            if (run >= 0) times[v].Add(watch.Elapsed.TotalMilliseconds);
        }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"int8 embed, 1 thread, median of {runs}: {Path.GetFileName(a)} {Median(times[0]):F3} ms, {Path.GetFileName(b)} {Median(times[1]):F3} ms, ratio {Median(times[1]) / Median(times[0]):F3}"));
}

static double Median(List<double> values) => Percentile(values, 0.5);

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Floor(p * (sorted.Count - 1) + 0.5))];
}

static double Distance(PointF a, PointF b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));

static double Iou(BoundingBox a, BoundingBox b)
{
    double w = Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1), h = Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1);
    if (w <= 0 || h <= 0) return 0;
    double inter = w * h;
    return inter / ((a.X2 - a.X1) * (a.Y2 - a.Y1) + (b.X2 - b.X1) * (b.Y2 - b.Y1) - inter);
}
