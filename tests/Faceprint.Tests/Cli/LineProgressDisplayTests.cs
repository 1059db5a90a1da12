using Faceprint.Cli.Verification;

namespace Faceprint.Tests.Cli;

/// <summary>Progress lines for a stderr that is not a terminal: every tenth of the work, counted right across threads.</summary>
public sealed class LineProgressDisplayTests
{
    [Theory]
    [InlineData(3, new[] { 1, 2, 3 })]
    [InlineData(25, new[] { 3, 5, 8, 10, 13, 15, 18, 20, 23, 25 })]
    public async Task PrintsAtEveryTenthOrEveryItemWhenFew(int total, int[] printedAt)
    {
        using var error = new StringWriter();
        await new LineProgressDisplay(error).RunAsync("working", total, tick =>
        {
            for (int i = 0; i < total; i++) tick();
            return Task.CompletedTask;
        });

        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(printedAt.Select(n => $"faceprint: working: {n}/{total}"), lines.Select(l => l[..l.LastIndexOf(" (", StringComparison.Ordinal)]));
        Assert.All(lines, l => Assert.Matches(@"\(\d+ s\)$", l));
    }

    [Fact]
    public async Task TicksFromManyThreadsAreAllCounted()
    {
        using var error = new StringWriter();
        await new LineProgressDisplay(error).RunAsync("working", 1000, tick =>
            Parallel.ForAsync(0, 1000, (_, _) =>
            {
                tick();
                return ValueTask.CompletedTask;
            }));

        Assert.StartsWith("faceprint: working: 1000/1000 (", error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
    }
}
