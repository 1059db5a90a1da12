// MTCNN vs BlazeFace on real photos, the measurements behind choosing how the two detectors combine:
//   dotnet run -c Release --project tools/DetectorCompare -- ROOT [--limit N] [--probe IMG] [--bench IMG]
// ROOT: a folder of photos (searched recursively, e.g. ../shared/benchmarks/lfw-dev/images). For every photo it
// reports, per detector (MTCNN, BlazeFace short range, BlazeFace full range): whether any face was found; for photos
// where both find a face, the cosine between the MobileFaceNet embeddings of MTCNN's most central face and the
// BlazeFace face overlapping it most (each aligned from its own landmarks); and the same detection counts on a
// tight crop of each photo (MTCNN's box enlarged by 10 % about its centre, clipped to the photo).
// --rotate DEG turns every (square) photo by DEG degrees about its centre first, a stand-in for tilted heads; it then
// also reports, per detector, the cosine between its crop of the turned photo and MTCNN's crop of the upright photo
// (the face nearest the turned centre of MTCNN's upright face): which detector's points still align a tilted face.
// --probe IMG prints both detectors' faces for one photo and writes overlays to artifacts/. --bench IMG times
// detection on IMG resized to 640x480 for each detector in this process (median of 30 runs, 1 thread).
using System.Diagnostics;
using Faceprint.Detection;
using Faceprint.Engine;
using Faceprint.Imaging;
using Faceprint.Recognition;
using Faceprint.Storage;

var home = FaceprintHome.Default;
var engine = await FaceEngine.CreateAsync(new FaceEngineOptions { Threads = 1 });
var blazePaths = await DefaultModels.EnsureBlazeFaceAsync(home);
var detectors = new (string Name, BlazeFaceDetector Detector)[]
{
    ("blazeface-short", BlazeFaceDetector.Load(blazePaths.ShortRange, BlazeFaceModel.ShortRange)),
    ("blazeface-full", BlazeFaceDetector.Load(blazePaths.FullRange, BlazeFaceModel.FullRange)),
};

string root = args[0];
int limit = Option("--limit") is { } l ? int.Parse(l) : int.MaxValue;
float rotate = Option("--rotate") is { } r ? float.Parse(r, System.Globalization.CultureInfo.InvariantCulture) : 0f;
if (Option("--probe") is { } probe)
{
    await Probe(probe);
    return;
}
if (Option("--bench") is { } benchImage)
{
    Bench(await ImageLoader.LoadAsync(benchImage));
    return;
}

var photos = Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories)
    .Where(p => p.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
    .Order(StringComparer.Ordinal).Take(limit).ToList();
var names = new[] { "mtcnn" }.Concat(detectors.Select(d => d.Name)).ToArray();
var foundRaw = new int[names.Length];
var foundTight = new int[names.Length];
var onlyRaw = new int[names.Length, names.Length];
var onlyTight = new int[names.Length, names.Length];
var cosines = detectors.Select(_ => new List<(float Cosine, string Photo)>()).ToArray();
var uprightCosines = names.Select(_ => new List<float>()).ToArray();
int tightCount = 0;
foreach (string photo in photos)
{
    var upright = await ImageLoader.LoadAsync(photo);
    var image = Rotate(upright, rotate);
    var (rawFaces, mtcnnFace) = DetectAll(image);
    if (rotate != 0) CompareWithUpright(upright, image, rawFaces);
    Tally(rawFaces, foundRaw, onlyRaw);
    if (mtcnnFace is null) continue;
    var mtcnnEmbedding = engine.Embed(image, [mtcnnFace])[0];
    for (int d = 0; d < detectors.Length; d++)
    {
        var match = rawFaces[d + 1].OrderByDescending(f => IoU(f.Box, mtcnnFace.Box)).FirstOrDefault();
        if (match is null || IoU(match.Box, mtcnnFace.Box) < 0.3f) continue;
        cosines[d].Add((engine.Compare(mtcnnEmbedding, engine.Embed(image, [match])[0]), photo));
    }
    var tight = TightCrop(image, mtcnnFace.Box);
    tightCount++;
    Tally(DetectAll(tight).Faces, foundTight, onlyTight);
}

Console.WriteLine($"photos: {photos.Count} under {root}, turned {rotate} degrees; tight crops (MTCNN box +10 %): {tightCount}");
for (int i = 0; i < names.Length; i++)
    Console.WriteLine($"{names[i],-16} face found: raw {foundRaw[i]}/{photos.Count} ({100.0 * foundRaw[i] / photos.Count:F2} %), tight {foundTight[i]}/{tightCount} ({100.0 * foundTight[i] / Math.Max(tightCount, 1):F2} %)");
for (int i = 0; i < names.Length; i++)
    for (int j = 0; j < names.Length; j++)
        if (i != j) Console.WriteLine($"found by {names[i]} but not {names[j]}: raw {onlyRaw[i, j]}, tight {onlyTight[i, j]}");
for (int d = 0; d < detectors.Length; d++)
{
    var c = cosines[d].Select(x => x.Cosine).Order().ToArray();
    if (c.Length == 0) continue;
    Console.WriteLine($"{detectors[d].Name}: cosine(MTCNN crop, BlazeFace crop) over {c.Length} faces: mean {c.Average():F4}, median {c[c.Length / 2]:F4}, " +
        $"p5 {c[c.Length / 20]:F4}, min {c[0]:F4} ({cosines[d].MinBy(x => x.Cosine).Photo}); < 0.8: {c.Count(x => x < 0.8f)}, < 0.6: {c.Count(x => x < 0.6f)}");
}
for (int i = 0; i < names.Length && rotate != 0; i++)
{
    var c = uprightCosines[i].Order().ToArray();
    if (c.Length > 0)
        Console.WriteLine($"{names[i]}: cosine(crop of the turned photo, MTCNN crop of the upright photo) over {c.Length} faces: mean {c.Average():F4}, median {c[c.Length / 2]:F4}, p5 {c[c.Length / 20]:F4}, < 0.5: {c.Count(x => x < 0.5f)}");
}
return;

void CompareWithUpright(RgbImage upright, RgbImage turned, IReadOnlyList<DetectedFace>[] faces)
{
    var (uprightFaces, reference) = DetectAll(upright);
    if (reference is null) return;
    var referenceEmbedding = engine.Embed(upright, [reference])[0];
    // Where the upright face's centre lands after turning the photo about its centre.
    double a = rotate * Math.PI / 180, m = (upright.Width - 1) / 2.0;
    double ux = (reference.Box.X1 + reference.Box.X2) / 2 - m, uy = (reference.Box.Y1 + reference.Box.Y2) / 2 - m;
    float tx = (float)(m + Math.Cos(a) * ux - Math.Sin(a) * uy), ty = (float)(m + Math.Sin(a) * ux + Math.Cos(a) * uy);
    for (int i = 0; i < names.Length; i++)
    {
        var face = faces[i].MinBy(f => MathF.Pow((f.Box.X1 + f.Box.X2) / 2 - tx, 2) + MathF.Pow((f.Box.Y1 + f.Box.Y2) / 2 - ty, 2));
        if (face is null) continue;
        uprightCosines[i].Add(engine.Compare(referenceEmbedding, engine.Embed(turned, [face])[0]));
    }
}

(IReadOnlyList<DetectedFace>[] Faces, DetectedFace? Central) DetectAll(RgbImage image)
{
    var faces = new IReadOnlyList<DetectedFace>[names.Length];
    faces[0] = engine.Detect(image);
    for (int d = 0; d < detectors.Length; d++) faces[d + 1] = detectors[d].Detector.Detect(image);
    // The photo's subject: the MTCNN face with the largest area after a penalty for distance from the centre.
    var central = faces[0].OrderByDescending(f => f.Box.Area - 2 * Distance2(f.Box, image)).FirstOrDefault();
    return (faces, central);
}

void Tally(IReadOnlyList<DetectedFace>[] faces, int[] found, int[,] only)
{
    for (int i = 0; i < faces.Length; i++)
    {
        if (faces[i].Count > 0) found[i]++;
        for (int j = 0; j < faces.Length; j++)
            if (i != j && faces[i].Count > 0 && faces[j].Count == 0) only[i, j]++;
    }
}

static float Distance2(BoundingBox b, RgbImage image)
{
    float dx = (b.X1 + b.X2) / 2 - image.Width / 2f, dy = (b.Y1 + b.Y2) / 2 - image.Height / 2f;
    return dx * dx + dy * dy;
}

static float IoU(BoundingBox a, BoundingBox b)
{
    float w = Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1), h = Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1);
    if (w <= 0 || h <= 0) return 0;
    return w * h / (a.Area + b.Area - w * h);
}

static RgbImage TightCrop(RgbImage image, BoundingBox box)
{
    float cx = (box.X1 + box.X2) / 2, cy = (box.Y1 + box.Y2) / 2, w = box.Width * 1.1f, h = box.Height * 1.1f;
    int x1 = Math.Clamp((int)MathF.Round(cx - w / 2), 0, image.Width - 1), y1 = Math.Clamp((int)MathF.Round(cy - h / 2), 0, image.Height - 1);
    int x2 = Math.Clamp((int)MathF.Round(cx + w / 2), x1 + 1, image.Width), y2 = Math.Clamp((int)MathF.Round(cy + h / 2), y1 + 1, image.Height);
    return ImageOps.Crop(image, x1, y1, x2 - x1, y2 - y1);
}

static RgbImage Rotate(RgbImage image, float degrees)
{
    if (degrees == 0) return image;
    if (image.Width != image.Height) throw new ArgumentException("--rotate takes square photos");
    double a = degrees * Math.PI / 180, c = Math.Cos(a), s = Math.Sin(a), m = (image.Width - 1) / 2.0;
    // Output pixel (u, v) reads the photo at the inverse rotation about the centre; outside is black.
    var inverse = new Faceprint.Preprocessing.AffineTransform(c, s, m - c * m - s * m, -s, c, m + s * m - c * m);
    var floats = new float[image.Width * image.Height * 3];
    Faceprint.Preprocessing.InputSampler.WarpAffine(image, inverse, image.Width, new Faceprint.Preprocessing.InputNormalization(0f, 1f), floats);
    return new RgbImage(image.Width, image.Height, floats.Select(v => (byte)Math.Clamp(MathF.Round(v), 0, 255)).ToArray());
}

async Task Probe(string path)
{
    var image = await ImageLoader.LoadAsync(path);
    var all = new List<(string, IReadOnlyList<DetectedFace>)> { ("mtcnn", engine.Detect(image)) };
    all.AddRange(detectors.Select(d => (d.Name, d.Detector.Detect(image))));
    Directory.CreateDirectory("artifacts/detector-compare");
    foreach (var (name, faces) in all)
    {
        Console.WriteLine($"{name}: {faces.Count} faces");
        foreach (var f in faces)
            Console.WriteLine($"  box ({f.Box.X1:F1},{f.Box.Y1:F1})-({f.Box.X2:F1},{f.Box.Y2:F1}) score {f.Score:F3} points {string.Join(" ", f.Landmarks.Select(p => $"({p.X:F1},{p.Y:F1})"))}");
        ImageWriter.SavePng(Overlay.DrawFaces(image, faces), $"artifacts/detector-compare/{Path.GetFileNameWithoutExtension(path)}-{name}.png");
        if (faces.Count > 0) ImageWriter.SavePng(engine.Align(image, faces[0]), $"artifacts/detector-compare/{Path.GetFileNameWithoutExtension(path)}-{name}-aligned.png");
    }
}

void Bench(RgbImage photo)
{
    var image = ImageOps.Resize(photo, 640, 480);
    var runs = new List<(string, Func<int>)> { ("mtcnn", () => engine.Detect(image).Count) };
    runs.AddRange(detectors.Select(d => (d.Name, (Func<int>)(() => d.Detector.Detect(image).Count))));
    var medians = new List<(string Name, double Ms, int Faces)>();
    for (int round = 0; round < 2; round++)
        foreach (var (name, run) in runs)
        {
            int faces = 0;
            for (int i = 0; i < 5; i++) faces = run();
            var times = new double[30];
            for (int i = 0; i < times.Length; i++)
            {
                long start = Stopwatch.GetTimestamp();
                run();
                times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            Array.Sort(times);
            if (round == 1) medians.Add((name, times[times.Length / 2], faces));
        }
    foreach (var (name, ms, faces) in medians)
        Console.WriteLine($"{name,-16} 640x480: median {ms:F2} ms ({faces} faces), {ms / medians[0].Ms:F2}x MTCNN");
}

string? Option(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
