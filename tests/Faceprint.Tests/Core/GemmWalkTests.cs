using Faceprint.Core.Kernels;

namespace Faceprint.Tests.Core;

/// <summary>In what order the GEMM's row tiles sweep the packed weight panels.</summary>
public sealed class GemmWalkTests
{
    [Theory]
    [InlineData(16)]
    [InlineData(49)]
    [InlineData(64)]
    [InlineData(144)]
    public void ShortRowRangesWalkPanelByPanel(int rows) =>
        // Batch-1 late stages and a ViT image's tokens: each panel is used by every row tile as soon as it arrives, so cold weights stream steadily.
        Assert.Equal(1, Gemm.PanelGroup(rows, 512, 32));

    [Theory]
    [InlineData(145, 512, 32, 6)]
    [InlineData(784, 64, 32, 48)]
    [InlineData(196, 512, 16, 12)]
    public void LongRowRangesSweepAnL2SizedGroupOfPanels(int rows, int kc, int pw, int expected) =>
        // 384 KiB of packed panels per group: 512·32 floats a panel → 6 panels; 64·32 → 48.
        Assert.Equal(expected, Gemm.PanelGroup(rows, kc, pw));
}
