using Faceprint.Cli.Verification;

namespace Faceprint.Tests.Evaluation.Ijb;

public sealed class LineProgressDisplayTests
{
    [Fact]
    public async Task WritesOneLinePerTenthEndingAtTheTotal()
    {
        using var error = new StringWriter();

        await new LineProgressDisplay(error).RunAsync("embedding images", 25, advance =>
            Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(() =>
            {
                for (int i = 0; i < 5; i++) advance();
            }))));

        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(10, lines.Length); // 3, 5, 8, 10, 13, 15, 18, 20, 23, 25 of 25: a line each time a tenth is passed
        Assert.All(lines, l => Assert.StartsWith("faceprint: embedding images: ", l));
        Assert.StartsWith("faceprint: embedding images: 3/25 (12%)", lines[0]);
        Assert.StartsWith("faceprint: embedding images: 25/25 (100%)", lines[^1]);
    }
}
