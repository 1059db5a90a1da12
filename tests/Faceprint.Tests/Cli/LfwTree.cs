using Faceprint.Tests.Support;

namespace Faceprint.Tests.Cli;

/// <summary>
/// A small LFW-layout tree (Name/Name_0001.jpg) built from the shared fixture photos, with a 2-fold pairs.txt of
/// 3 matched and 3 mismatched pairs per fold. It includes an image with no face (Dogs) and one that does not exist
/// (Ghost), so both ways an image can lack a face are exercised.
/// </summary>
internal static class LfwTree
{
    /// <summary>Number of pairs in the pairs file.</summary>
    public const int PairCount = 12;

    /// <summary>Number of distinct images the pairs use, the missing one included.</summary>
    public const int ImageCount = 11;

    // Identities from pairs.tsv: img1/img2/img4 one person, img16/img17 another, img20/img21, img13/img14.
    private static readonly (string Person, int Index, string Fixture)[] Images =
    [
        ("PersonA", 1, "deepface/img1.jpg"), ("PersonA", 2, "deepface/img2.jpg"), ("PersonA", 3, "deepface/img4.jpg"),
        ("PersonB", 1, "deepface/img16.jpg"), ("PersonB", 2, "deepface/img17.jpg"),
        ("PersonC", 1, "deepface/img20.jpg"), ("PersonC", 2, "deepface/img21.jpg"),
        ("PersonD", 1, "deepface/img13.jpg"), ("PersonD", 2, "deepface/img14.jpg"),
        ("Dogs", 1, "negative/dogs.jpg"),
    ];

    private const string Pairs = """
        2 3
        PersonA 1 2
        PersonB 1 2
        PersonC 1 2
        PersonA 1 PersonB 1
        PersonC 1 PersonD 1
        Dogs 1 PersonA 3
        PersonA 1 3
        PersonA 2 3
        PersonD 1 2
        PersonB 2 PersonC 2
        PersonA 2 PersonD 2
        Ghost 1 PersonB 1

        """;

    /// <summary>Writes the tree under <paramref name="root"/>; returns the pairs file path.</summary>
    public static string Create(string root)
    {
        foreach (var (person, index, fixture) in Images)
        {
            string folder = Path.Combine(root, person);
            Directory.CreateDirectory(folder);
            File.Copy(TestPaths.Fixture(fixture), Path.Combine(folder, $"{person}_{index:D4}.jpg"));
        }
        string pairs = Path.Combine(root, "pairs.txt");
        File.WriteAllText(pairs, Pairs);
        return pairs;
    }
}
