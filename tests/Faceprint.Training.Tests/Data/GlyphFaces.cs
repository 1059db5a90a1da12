using Faceprint.Imaging;
using Faceprint.Training.Data;

namespace Faceprint.Training.Tests.Data;

/// <summary>
/// Procedural stand-ins for faces: each identity is a random 7×7 binary glyph; each view draws it with random
/// foreground/background colours, a random shift and pixel noise. Colour carries no identity, so a network has to
/// learn shapes — an untrained one scores pairs mostly by colour and does badly.
/// </summary>
internal static class GlyphFaces
{
    private const int Cells = 7;

    /// <summary>The glyph of identity <paramref name="identity"/> in the family <paramref name="seed"/>.</summary>
    public static bool[] Glyph(int seed, int identity)
    {
        var random = new Random(Mix(seed, identity, 17));
        var glyph = new bool[Cells * Cells];
        for (int i = 0; i < glyph.Length; i++)
            glyph[i] = random.NextDouble() < 0.45;
        return glyph;
    }

    /// <summary>View <paramref name="view"/> of <paramref name="identity"/> as a <paramref name="size"/>² RGB image.</summary>
    public static RgbImage Render(int seed, int identity, int view, int size)
    {
        var glyph = Glyph(seed, identity);
        var random = new Random(Mix(seed, identity, view, 23));
        int cell = size / (Cells + 1), margin = (size - cell * Cells) / 2;
        int dx = random.Next(-2, 3), dy = random.Next(-2, 3);
        var fg = new[] { random.Next(140, 256), random.Next(140, 256), random.Next(140, 256) };
        var bg = new[] { random.Next(0, 100), random.Next(0, 100), random.Next(0, 100) };
        var pixels = new byte[size * size * 3];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                int gx = (x - margin - dx) / cell, gy = (y - margin - dy) / cell;
                bool on = x - margin - dx >= 0 && y - margin - dy >= 0 && gx < Cells && gy < Cells && glyph[gy * Cells + gx];
                var colour = on ? fg : bg;
                for (int c = 0; c < 3; c++)
                    pixels[(y * size + x) * 3 + c] = (byte)Math.Clamp(colour[c] + random.Next(-30, 31), 0, 255);
            }
        return new RgbImage(size, size, pixels);
    }

    /// <summary>Identities [first, first+count) with <paramref name="views"/> views each, labelled 0..count−1.</summary>
    public static InMemoryDataset Dataset(int seed, int first, int count, int views, int size)
    {
        var samples = new List<FaceSample>();
        for (int i = 0; i < count; i++)
            for (int v = 0; v < views; v++)
                samples.Add(new FaceSample(Render(seed, first + i, v, size), i));
        return new InMemoryDataset(samples, count);
    }

    /// <summary>
    /// Verification pairs over identities [first, first+count): <paramref name="pairsPerClass"/> same pairs (two different
    /// views of one identity) and as many different pairs (views of two identities).
    /// </summary>
    public static List<(RgbImage A, RgbImage B, bool Same)> Pairs(int seed, int first, int count, int pairsPerClass, int size)
    {
        var random = new Random(seed * 31 + first);
        var pairs = new List<(RgbImage, RgbImage, bool)>();
        for (int i = 0; i < pairsPerClass; i++)
        {
            int id = first + random.Next(count);
            int v1 = 100 + random.Next(50), v2 = 150 + random.Next(50);
            pairs.Add((Render(seed, id, v1, size), Render(seed, id, v2, size), true));
            int a = first + random.Next(count), b = first + (a - first + 1 + random.Next(count - 1)) % count;
            pairs.Add((Render(seed, a, 100 + random.Next(100), size), Render(seed, b, 100 + random.Next(100), size), false));
        }
        return pairs;
    }

    /// <summary>
    /// Writes identities [first, first+count) as an image folder in LFW layout (root/idN/idN_0001.jpg, …); the files hold
    /// PNG bytes, which the loader recognises by content.
    /// </summary>
    public static void WriteFolder(string root, int seed, int first, int count, int views, int size)
    {
        for (int id = first; id < first + count; id++)
        {
            var folder = Path.Combine(root, $"id{id}");
            Directory.CreateDirectory(folder);
            for (int v = 1; v <= views; v++)
                File.WriteAllBytes(Path.Combine(folder, $"id{id}_{v:0000}.jpg"), ImageWriter.EncodePng(Render(seed, id, v, size)));
        }
    }

    /// <summary>An LFW pairs file over ten identities from <paramref name="first"/> (views 1 and 2): 10 folds of one matched and one mismatched pair.</summary>
    public static void WritePairsFile(string path, int first)
    {
        var pairs = new System.Text.StringBuilder("10\t1\n");
        for (int f = 0; f < 10; f++)
            pairs.Append($"id{first + f}\t1\t2\nid{first + f}\t1\tid{first + (f + 1) % 10}\t2\n");
        File.WriteAllText(path, pairs.ToString());
    }

    // HashCode.Combine is randomised per process; the glyphs must be the same in every run.
    private static int Mix(params int[] values)
    {
        uint h = 2166136261;
        foreach (int v in values)
            h = (h ^ (uint)v) * 16777619;
        return (int)(h & 0x7FFFFFFF);
    }
}
