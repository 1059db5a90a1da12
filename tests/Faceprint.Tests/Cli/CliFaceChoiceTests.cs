using System.Text.Json;
using Faceprint.Detection;
using Faceprint.Engine;
using Faceprint.Imaging;
using Faceprint.Tests.Storage;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Cli;

/// <summary>
/// Which face stands for a photo: a composite of a centred subject and a slightly larger bystander cut off by the
/// left border, the case that made the largest-box rule pick the wrong person.
/// </summary>
[Collection(DefaultModelsCollection.Name)]
public sealed class CliFaceChoiceTests(DefaultModelsFixture models)
{
    private static string Photo(string name) => TestPaths.Fixture("facelivt/" + name);

    /// <summary>img1 centred on a grey canvas, img3 (another person) scaled so its face is 1.15× larger, cut by the left edge.</summary>
    private async Task<string> WriteCompositeAsync(string folder)
    {
        var subject = await models.Engine.LoadImageAsync(Photo("img1.jpeg"));
        var bystander = await models.Engine.LoadImageAsync(Photo("img3.jpeg"));
        float scale = MathF.Sqrt(1.15f * models.Engine.Detect(subject)[0].Box.Area / models.Engine.Detect(bystander)[0].Box.Area);
        bystander = ImageOps.Resize(bystander, (int)(bystander.Width * scale), (int)(bystander.Height * scale));
        int width = subject.Width * 3, height = Math.Max(subject.Height, bystander.Height) + 40;
        var canvas = new RgbImage(width, height);
        Array.Fill(canvas.Pixels, (byte)128);
        var bystanderFace = models.Engine.Detect(bystander)[0].Box;
        Paste(canvas, bystander, -(int)(bystanderFace.X1 + bystanderFace.Width * 0.25f), 20); // a quarter of the face cut off
        Paste(canvas, subject, (width - subject.Width) / 2, (height - subject.Height) / 2);
        string path = Path.Combine(folder, "composite.png");
        ImageWriter.SavePng(canvas, path);
        return path;
    }

    private static void Paste(RgbImage canvas, RgbImage image, int left, int top)
    {
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
            {
                int cx = left + x, cy = top + y;
                if (cx >= 0 && cx < canvas.Width && cy >= 0 && cy < canvas.Height)
                    Array.Copy(image.Pixels, (y * image.Width + x) * 3, canvas.Pixels, (cy * canvas.Width + cx) * 3, 3);
            }
    }

    [Fact]
    public async Task ProminentChoosesTheCentredSubjectWhereLargestChoosesTheBystander()
    {
        using var temp = new TempDirectory();
        string composite = await WriteCompositeAsync(temp.Path);
        var image = await models.Engine.LoadImageAsync(composite);
        var faces = models.Engine.Detect(image);
        Assert.True(faces.Count >= 2, $"{faces.Count} faces in the composite");
        int prominent = SubjectSelection.IndexOf(faces, image.Width, image.Height, FaceChoice.Prominent);
        Assert.NotEqual(SubjectSelection.IndexOf(faces, image.Width, image.Height, FaceChoice.Largest), prominent);

        var byDefault = await CliRun.StartAsync("compare", composite, Photo("img2.jpeg"), "--json", "--home", TestPaths.ModelHome);
        var largest = await CliRun.StartAsync("compare", composite, Photo("img2.jpeg"), "--face", "largest", "--json", "--home", TestPaths.ModelHome);

        Assert.True(byDefault.ExitCode == 0, byDefault.ToString());
        Assert.True(largest.ExitCode == 0, largest.ToString());
        using var d = JsonDocument.Parse(byDefault.Stdout);
        using var l = JsonDocument.Parse(largest.Stdout);
        Assert.Equal("prominent", d.RootElement.GetProperty("face_choice").GetString());
        Assert.Equal("largest", l.RootElement.GetProperty("face_choice").GetString());
        Assert.Equal(faces.Count, d.RootElement.GetProperty("faces_found_a").GetInt32());
        Assert.Equal(prominent, d.RootElement.GetProperty("face_index_a").GetInt32());
        Assert.True(d.RootElement.GetProperty("same").GetBoolean(), byDefault.Stdout); // img1 and img2 are one person
        Assert.False(l.RootElement.GetProperty("same").GetBoolean(), largest.Stdout);

        var text = await CliRun.StartAsync("compare", composite, Photo("img2.jpeg"), "--home", TestPaths.ModelHome);
        Assert.Contains($"{faces.Count} faces, used the prominent one", text.Stdout);
    }

    [Fact]
    public async Task AnUnknownFaceChoiceIsBadInput()
    {
        var run = await CliRun.StartAsync("compare", Photo("img1.jpeg"), Photo("img2.jpeg"), "--face", "biggest", "--home", TestPaths.ModelHome);
        Assert.True(run.ExitCode == 2, run.ToString());
    }

    [Fact]
    public async Task FarPicksTheCalibratedThresholdAndRefusesUncalibratedRates()
    {
        var point = DefaultModels.EmbedderCalibration.OperatingPoints[^1];
        var run = await CliRun.StartAsync("compare", Photo("img1.jpeg"), Photo("img2.jpeg"), "--far", point.FalseAcceptRate.ToString("R", System.Globalization.CultureInfo.InvariantCulture), "--json", "--home", TestPaths.ModelHome);
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.Equal(point.Threshold, doc.RootElement.GetProperty("threshold").GetSingle());

        var uncalibrated = await CliRun.StartAsync("compare", Photo("img1.jpeg"), Photo("img2.jpeg"), "--far", "0.37", "--home", TestPaths.ModelHome);
        Assert.True(uncalibrated.ExitCode == 2, uncalibrated.ToString());
        Assert.Contains("calibrated rates", uncalibrated.Stderr);

        var both = await CliRun.StartAsync("compare", Photo("img1.jpeg"), Photo("img2.jpeg"), "--far", "1e-3", "--threshold", "0.5", "--home", TestPaths.ModelHome);
        Assert.True(both.ExitCode == 2, both.ToString());
    }
}
