using Faceprint.Core.Kernels;

namespace Faceprint.Tests.Core;

/// <summary>The GEMM epilogue's GELU over a strided block of rows (<c>GeluKernel.Block</c>).</summary>
public sealed class GeluBlockTests
{
    public static TheoryData<KernelIsa> SupportedIsas() => [.. KernelIsas.Supported];

    [Theory]
    [MemberData(nameof(SupportedIsas))]
    public void BlockEqualsTheFlatKernelOnEachRowAndLeavesTheGapsAlone(KernelIsa isa)
    {
        var random = new Random(5);
        // Column counts below, at and past a register, with and without a tail; ldc == cols takes the flat path.
        foreach (var (rows, cols, ldc) in new[] { (12, 32, 768), (7, 5, 9), (3, 16, 16), (10, 47, 64), (1, 1, 1), (5, 33, 40) })
        {
            var data = new float[(rows - 1) * ldc + cols + 3];
            for (int i = 0; i < data.Length; i++) data[i] = (float)(random.NextDouble() * 12 - 6);
            var expected = data.ToArray();
            for (int r = 0; r < rows; r++)
            {
                var row = expected.AsSpan(r * ldc, cols);
                GeluKernel.Apply(row, row, isa);
            }
            GeluKernel.Block(data, ldc, rows, cols, isa);
            Assert.Equal(expected, data);
        }
    }

    [Fact]
    public void BlockRefusesRowsPastTheBuffer() =>
        Assert.Throws<ArgumentException>(() => GeluKernel.Block(new float[20], 8, 3, 5, KernelIsas.Best));
}
