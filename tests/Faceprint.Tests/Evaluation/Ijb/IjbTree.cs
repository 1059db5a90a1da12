using System.Collections.Concurrent;
using System.Globalization;
using Faceprint.Detection;
using Faceprint.Engine;
using Faceprint.Evaluation.Ijb;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Evaluation.Ijb;

/// <summary>
/// A small IJB-C-layout tree made from real fixture photos: six people, two templates each, every template of two
/// media, one of which holds several frames (copies of one photo, as consecutive video frames would nearly be).
/// Landmarks come from the project's own detector; the detector scores, all near 1 on these clear photos, are spread
/// over 0.4–1 by image index so that weighting by them visibly changes the result. Genuine pairs compare a person's two templates,
/// impostor pairs templates of different people; one more template, whose image file does not exist, is in no pair.
/// </summary>
internal sealed class IjbTree
{
    /// <summary>Template id of the template in no pair (its image is absent from loose_crop).</summary>
    public const int UnpairedTemplate = 999;

    // Identities from the fixtures' pairs.tsv.
    private static readonly string[][] People =
    [
        ["deepface/img1.jpg", "deepface/img2.jpg", "deepface/img4.jpg", "deepface/img5.jpg", "deepface/img6.jpg", "deepface/img7.jpg"],
        ["deepface/img16.jpg", "deepface/img17.jpg"],
        ["deepface/img20.jpg", "deepface/img21.jpg"],
        ["deepface/img13.jpg", "deepface/img14.jpg"],
        ["deepface/img22.jpg", "deepface/img23.jpg"],
        ["deepface/img24.jpg", "deepface/img25.jpg"],
    ];

    private static readonly ConcurrentDictionary<string, DetectedFace> Detections = new();

    private IjbTree(IjbLayout layout, List<Entry> images, List<IjbTemplatePair> pairs)
    {
        Layout = layout;
        Images = images;
        Pairs = pairs;
    }

    /// <summary>One image of the tree as written.</summary>
    public sealed record Entry(string Name, string Fixture, PointF[] Landmarks, float Score, int Template, int Media);

    /// <summary>Where the tree is.</summary>
    public IjbLayout Layout { get; }

    /// <summary>Every image line, the unpaired one included, in file order.</summary>
    public IReadOnlyList<Entry> Images { get; }

    /// <summary>The template pairs in file order.</summary>
    public IReadOnlyList<IjbTemplatePair> Pairs { get; }

    /// <summary>Images the pairs use (all but the unpaired template's).</summary>
    public int PairedImageCount => Images.Count(i => i.Template != UnpairedTemplate);

    /// <summary>Writes the tree under <paramref name="root"/>, detecting landmarks with <paramref name="engine"/> (once per photo per test run).</summary>
    public static async Task<IjbTree> CreateAsync(string root, FaceEngine engine)
    {
        var layout = new IjbLayout(root, IjbTarget.IJBC);
        Directory.CreateDirectory(layout.ImagesFolder);
        Directory.CreateDirectory(Path.Combine(root, "meta"));
        var images = new List<Entry>();
        int media = 0;
        for (int p = 0; p < People.Length; p++)
        {
            var photos = People[p];
            string[][] halves = [photos[..(photos.Length / 2)], photos[(photos.Length / 2)..]];
            for (int t = 0; t < 2; t++)
            {
                int template = 10 * (p + 1) + t;
                // A "video" of the half's photos, then one of them again as a still photo.
                foreach (var fixture in halves[t]) images.Add(await EntryAsync(engine, images.Count, fixture, template, media));
                media++;
                images.Add(await EntryAsync(engine, images.Count, halves[t][0], template, media++));
            }
        }
        var unpaired = images[0] with { Name = "missing.jpg", Template = UnpairedTemplate, Media = media };

        var pairs = new List<IjbTemplatePair>();
        for (int p = 0; p < People.Length; p++)
        {
            pairs.Add(new IjbTemplatePair(10 * (p + 1), 10 * (p + 1) + 1, true));
            for (int q = p + 1; q < People.Length; q++)
            {
                pairs.Add(new IjbTemplatePair(10 * (p + 1), 10 * (q + 1) + 1, false));
                pairs.Add(new IjbTemplatePair(10 * (p + 1) + 1, 10 * (q + 1), false));
            }
        }

        foreach (var image in images) File.Copy(TestPaths.Fixture(image.Fixture), layout.ImagePath(image.Name));
        images.Insert(3, unpaired); // somewhere in the middle of the files
        await File.WriteAllLinesAsync(layout.LandmarksFile, images.Select(i =>
            string.Join(' ', [i.Name, .. i.Landmarks.SelectMany(l => new[] { F(l.X), F(l.Y) }), F(i.Score)])));
        await File.WriteAllLinesAsync(layout.TemplateMediaFile, images.Select(i => Invariant($"{i.Name} {i.Template} {i.Media}")));
        await File.WriteAllLinesAsync(layout.PairsFile, pairs.Select(p => Invariant($"{p.Template1} {p.Template2} {(p.Same ? 1 : 0)}")));
        return new IjbTree(layout, images, pairs);
    }

    private static async Task<Entry> EntryAsync(FaceEngine engine, int index, string fixture, int template, int media)
    {
        if (!Detections.TryGetValue(fixture, out var face))
        {
            var image = await engine.LoadImageAsync(TestPaths.Fixture(fixture));
            face = Detections.GetOrAdd(fixture, FaceEngine.MostProminent(engine.Detect(image), image));
        }
        return new Entry($"{index + 1}.jpg", fixture, [.. face.Landmarks], face.Score * (0.4f + 0.15f * (index % 5)), template, media);
    }

    private static string F(float v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
