using System.Globalization;
using System.Text;
using Faceprint.Engine;
using Faceprint.Liveness;
using Faceprint.Tests.Support;
using Xunit.Abstractions;

namespace Faceprint.Tests.Liveness;

/// <summary>
/// The anti-spoofing scorer on the fixture photos (photos of real people, the "live" side as far as this project
/// can tell) and on simulated re-photographed prints and screens made from them (<see cref="AttackSimulator"/>).
/// Every score goes to artifacts/tests/liveness-fixtures.tsv. Every third portrait by default (the run takes minutes on
/// two cores); FACEPRINT_LIVENESS_ALL=1 scores all 67 (the README's numbers).
/// </summary>
[Collection(DefaultModelsCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class LivenessFixtureTests(DefaultModelsFixture models, ITestOutputHelper output)
{
    private static IEnumerable<string> Portraits()
    {
        var all = Directory.GetFiles(TestPaths.Fixture("deepface"), "*.jpg").Concat(Directory.GetFiles(TestPaths.Fixture("facelivt"))).Order(StringComparer.Ordinal);
        return Environment.GetEnvironmentVariable("FACEPRINT_LIVENESS_ALL") == "1" ? all : all.Where((_, i) => i % 3 == 0);
    }

    [Fact]
    public async Task ScoresFixturesAndSimulatedAttacks()
    {
        var rows = new StringBuilder("photo\tvariant\tscore\tsharpness\tverdict\tleaf\n");
        var byVariant = new Dictionary<string, List<LivenessResult>>();
        var outcomes = new Dictionary<(string Photo, string Variant), LivenessResult>();
        foreach (var path in Portraits())
        {
            var photo = await models.Engine.LoadImageAsync(path);
            foreach (var (variant, image) in Variants(photo))
            {
                var faces = models.Engine.Detect(image);
                if (faces.Count == 0) continue;
                var result = AntiSpoofingModels.Scorer.Score(image, FaceEngine.MostProminent(faces, image));
                Assert.True(float.IsFinite(result.Score) && result.Score >= 0, $"{path} {variant}: score {result.Score}");
                Assert.InRange(result.Leaf, 0, 7);
                (byVariant.TryGetValue(variant, out var list) ? list : byVariant[variant] = []).Add(result);
                outcomes[(path, variant)] = result;
                rows.Append(CultureInfo.InvariantCulture, $"{Path.GetRelativePath(TestPaths.Fixtures, path)}\t{variant}\t{result.Score:F4}\t{result.Sharpness}\t{result.Verdict}\t{result.Leaf}\n");
            }
        }
        File.WriteAllText(Path.Combine(TestPaths.Artifacts, "liveness-fixtures.tsv"), rows.ToString());
        foreach (var (variant, results) in byVariant)
        {
            var scores = results.Select(r => r.Score).Order().ToList();
            output.WriteLine(FormattableString.Invariant(
                $"{variant}: n={results.Count} live={results.Count(r => r.IsLive)} spoof={results.Count(r => r.Verdict == LivenessVerdict.Spoof)} blurry={results.Count(r => r.Verdict == LivenessVerdict.Blurry)} median={scores[scores.Count / 2]:F3} min={scores[0]:F3} max={scores[^1]:F3}"));
        }
        // Of the photos the network accepts, the simulated re-photographed print of the same photo is refused in most
        // cases: the print traces change the verdict, not only the photo's own look.
        var accepted = outcomes.Where(o => o.Key.Variant == "live" && o.Value.IsLive).Select(o => o.Key.Photo).ToList();
        Assert.NotEmpty(accepted);
        int printsRefused = accepted.Count(p => outcomes.TryGetValue((p, nameof(SimulatedAttack.Print)), out var r) && !r.IsLive);
        output.WriteLine($"print simulations of accepted photos refused: {printsRefused} of {accepted.Count}");
        Assert.True(printsRefused * 2 > accepted.Count, $"only {printsRefused} of {accepted.Count} print simulations of accepted photos were refused");
    }

    private static IEnumerable<(string Variant, Faceprint.Imaging.RgbImage Image)> Variants(Faceprint.Imaging.RgbImage photo)
    {
        yield return ("live", photo);
        foreach (var attack in Enum.GetValues<SimulatedAttack>())
            yield return (attack.ToString(), AttackSimulator.Make(photo, attack));
    }
}
