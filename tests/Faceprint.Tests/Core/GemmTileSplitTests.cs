using Faceprint.Core.Kernels;

namespace Faceprint.Tests.Core;

/// <summary>How the GEMM cuts a row range into register tiles.</summary>
public sealed class GemmTileSplitTests
{
    private static int[] Split(int rows, int maxRows)
    {
        var tiles = new List<int>();
        for (int left = rows; left > 0; left -= tiles[^1]) tiles.Add(Gemm.TileRows(left, maxRows));
        return [.. tiles];
    }

    [Theory]
    [InlineData(49, 12, new[] { 10, 10, 10, 10, 9 })]
    [InlineData(16, 12, new[] { 8, 8 })]
    [InlineData(24, 12, new[] { 12, 12 })]
    [InlineData(13, 6, new[] { 5, 4, 4 })]
    [InlineData(1, 12, new[] { 1 })]
    public void RowsAreSpreadEvenlySoNoTileIsLeftNearlyEmpty(int rows, int maxRows, int[] expected) =>
        Assert.Equal(expected, Split(rows, maxRows));

    [Fact]
    public void EveryRangeUsesAsFewTilesAsTheWidestAllowsAndNoneWiderThanIt()
    {
        foreach (int maxRows in new[] { 6, 12 })
            for (int rows = 1; rows <= 200; rows++)
            {
                var tiles = Split(rows, maxRows);
                Assert.Equal((rows + maxRows - 1) / maxRows, tiles.Length);
                Assert.All(tiles, t => Assert.InRange(t, 1, maxRows));
                Assert.True(tiles.Max() - tiles.Min() <= 1, $"{rows} rows: {string.Join('+', tiles)}");
            }
    }
}
