using Faceprint.Evaluation.Ijb;
using Faceprint.Tests.Storage;

namespace Faceprint.Tests.Evaluation.Ijb;

public sealed class IjbMetaReaderTests
{
    private const string Landmarks = """
        1.jpg 10 20 30 20.5 20 30 12 40 28 40 0.99
        2.jpg 11 21 31 21 21 31 13 41 29 41 0.5

        3.jpg 12 22 32 22 22 32 14 42 30 42 0.75
        """;

    private const string TemplateMedia = """
        1.jpg 7 100
        2.jpg 7 101
        3.jpg 9 102
        """;

    private const string Pairs = """
        7 9 0
        9 7 1
        """;

    [Fact]
    public async Task ReadsImagesJoinedByLineAndPairs()
    {
        using var temp = new TempDirectory();
        var layout = Write(temp.Path, Landmarks, TemplateMedia, Pairs);

        var protocol = await IjbMetaReader.LoadAsync(layout);

        Assert.Equal(["1.jpg", "2.jpg", "3.jpg"], protocol.Images.Select(i => i.Name));
        Assert.Equal(new Faceprint.Detection.PointF(30, 20.5f), protocol.Images[0].Landmarks[1]);
        Assert.Equal(new Faceprint.Detection.PointF(30, 42), protocol.Images[2].Landmarks[4]);
        Assert.Equal([0.99f, 0.5f, 0.75f], protocol.Images.Select(i => i.DetectorScore));
        Assert.Equal([(7, 100), (7, 101), (9, 102)], protocol.Images.Select(i => (i.Template, i.Media)));
        Assert.Equal([new IjbTemplatePair(7, 9, false), new IjbTemplatePair(9, 7, true)], protocol.Pairs);
    }

    [Fact]
    public void LayoutNamesTheTargetsFiles()
    {
        var layout = new IjbLayout("/data/IJB_release/IJBB", IjbTarget.IJBB);

        Assert.Equal(Path.Combine("/data/IJB_release/IJBB", "meta", "ijbb_name_5pts_score.txt"), layout.LandmarksFile);
        Assert.Equal(Path.Combine("/data/IJB_release/IJBB", "meta", "ijbb_face_tid_mid.txt"), layout.TemplateMediaFile);
        Assert.Equal(Path.Combine("/data/IJB_release/IJBB", "meta", "ijbb_template_pair_label.txt"), layout.PairsFile);
        Assert.Equal(Path.Combine("/data/IJB_release/IJBB", "loose_crop", "5.jpg"), layout.ImagePath("5.jpg"));
    }

    public static TheoryData<string, string, string, string, string> Malformed => new()
    {
        // file whose line is named, landmarks, template/media, pairs, expected message part
        { "ijbc_name_5pts_score.txt:2", Landmarks.Replace("41 0.5", "41 0.5 7"), TemplateMedia, Pairs, "expected 12 fields" },
        { "ijbc_name_5pts_score.txt:4", Landmarks.Replace("32 22", "32 x"), TemplateMedia, Pairs, "landmark 'x' is not a finite number" },
        { "ijbc_name_5pts_score.txt:2", Landmarks.Replace("41 0.5", "41 NaN"), TemplateMedia, Pairs, "detector score 'NaN'" },
        { "ijbc_name_5pts_score.txt:4", Landmarks.Replace("3.jpg", "1.jpg"), TemplateMedia, Pairs, "listed twice (first on line 1)" },
        { "ijbc_face_tid_mid.txt:2", Landmarks, TemplateMedia.Replace("2.jpg", "5.jpg"), Pairs, "image '5.jpg' here, but '2.jpg'" },
        { "ijbc_face_tid_mid.txt:3", Landmarks, TemplateMedia.Replace("9 102", "9"), Pairs, "expected 3 fields" },
        { "ijbc_face_tid_mid.txt:1", Landmarks, TemplateMedia.Replace("7 100", "seven 100"), Pairs, "template id 'seven' is not an integer" },
        { "ijbc_face_tid_mid.txt:3", Landmarks, TemplateMedia.Replace("3.jpg 9 102", ""), Pairs, "ends after 2 images" },
        { "ijbc_face_tid_mid.txt:4", Landmarks, TemplateMedia + "\n4.jpg 9 103", Pairs, "more images than the 3" },
        { "ijbc_template_pair_label.txt:2", Landmarks, TemplateMedia, Pairs.Replace("7 1", "7 2"), "label must be 1" },
        { "ijbc_template_pair_label.txt:1", Landmarks, TemplateMedia, Pairs.Replace("7 9 0", "7 8 0"), "template 8 has no image in ijbc_face_tid_mid.txt" },
        { "ijbc_template_pair_label.txt:1", Landmarks, TemplateMedia, "", "no template pairs" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task MalformedLineIsReportedWithFileAndLine(string where, string landmarks, string templateMedia, string pairs, string problem)
    {
        using var temp = new TempDirectory();
        var layout = Write(temp.Path, landmarks, templateMedia, pairs);

        var e = await Assert.ThrowsAsync<IjbMetaFormatException>(() => IjbMetaReader.LoadAsync(layout));

        Assert.Contains(where, e.Message);
        Assert.Contains(problem, e.Message);
        Assert.EndsWith(where.Split(':')[0], e.File);
        Assert.Equal(int.Parse(where.Split(':')[1]), e.Line);
    }

    [Fact]
    public async Task MissingMetaFileIsNamed()
    {
        using var temp = new TempDirectory();
        var layout = Write(temp.Path, Landmarks, TemplateMedia, Pairs);
        File.Delete(layout.PairsFile);

        var e = await Assert.ThrowsAsync<FaceprintException>(() => IjbMetaReader.LoadAsync(layout));

        Assert.Contains("ijbc_template_pair_label.txt", e.Message);
        Assert.Contains("not found", e.Message);
    }

    private static IjbLayout Write(string root, string landmarks, string templateMedia, string pairs)
    {
        var layout = new IjbLayout(root, IjbTarget.IJBC);
        Directory.CreateDirectory(Path.Combine(root, "meta"));
        File.WriteAllText(layout.LandmarksFile, landmarks);
        File.WriteAllText(layout.TemplateMediaFile, templateMedia);
        File.WriteAllText(layout.PairsFile, pairs);
        return layout;
    }
}
