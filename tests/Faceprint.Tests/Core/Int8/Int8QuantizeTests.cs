using Faceprint.Core.Kernels.Int8;
using static Faceprint.Tests.Core.CoreReference;

namespace Faceprint.Tests.Core.Int8;

/// <summary>Float → code passes on every instruction set, code for code against the scalar rule, every tail length.</summary>
public sealed class Int8QuantizeTests
{
    // Inside the calibrated range, far outside it (clamped at ±512 steps, then to the code range) and past int's range.
    private static float[] Inputs(Random random, int count)
    {
        var x = RandomFloats(random, count, -3f, 3f);
        for (int i = 0; i < count; i += 7) x[i] = (i % 3) switch { 0 => 1e30f, 1 => -1e30f, _ => random.NextSingle() * 40f - 20f };
        return x;
    }

    [Fact]
    public unsafe void RowsGiveTheScalarCodesOnEveryPathAndLength()
    {
        var random = new Random(11);
        foreach (var isa in Int8Isas.Supported)
            foreach (int zeroPoint in new[] { 0, 77, 255 })
                for (int k = 1; k <= 150; k++)
                {
                    const int rows = 3;
                    int kp = (k + 3) / 4 * 4, lda = k + (k % 2);
                    var a = Inputs(random, rows * lda);
                    float inverse = 1f / (0.004f + random.NextSingle() * 0.02f);
                    int width = isa == Int8Isa.Avx2 ? 2 : 1;
                    var dst = new byte[rows * kp * width];
                    Array.Fill(dst, (byte)0xA5);
                    fixed (float* pa = a)
                    fixed (byte* pd = dst)
                        Int8Quantize.Rows(pa, lda, rows, k, kp, inverse, zeroPoint, pd, isa);
                    for (int r = 0; r < rows; r++)
                        for (int i = 0; i < kp; i++)
                        {
                            int want = i < k ? Int8Quantize.Code(a[r * lda + i], inverse, zeroPoint) : 0;
                            int at = r * kp + i;
                            int got = width == 2 ? BitConverter.ToUInt16(dst, 2 * at) : dst[at];
                            Assert.True(got == want, $"{isa} k={k} zero={zeroPoint}: row {r} code {i} is {got}, expected {want}");
                        }
                }
    }

    [Fact]
    public unsafe void BytesGiveTheScalarCodesForEveryLength()
    {
        var random = new Random(12);
        for (int count = 0; count <= 200; count++)
        {
            var a = Inputs(random, count);
            var dst = new byte[count + 1];
            dst[count] = 0xA5;
            fixed (float* pa = a)
            fixed (byte* pd = dst)
                Int8Quantize.Bytes(pa, count, 42.5f, 131, pd);
            for (int i = 0; i < count; i++) Assert.Equal(Int8Quantize.Code(a[i], 42.5f, 131), dst[i]);
            Assert.Equal(0xA5, dst[count]);
        }
    }

    [Fact]
    public unsafe void ChannelsGiveTheScalarCodesOnEveryWidthPhaseAndLength()
    {
        var random = new Random(13);
        int[] widths = [.. new[] { 1, 8, 16 }.Where(w => w <= Int8QuantizeChannels.BestLanes)];
        foreach (int c in Enumerable.Range(1, 34).Append(48).Append(184))
        {
            var channels = Enumerable.Range(0, c).Select(ch => new QuantParams(0.002f + random.NextSingle() * 0.05f, random.Next(0, 256))).ToArray();
            var terms = new Int8ChannelTerms(channels);
            Assert.Equal(0, terms.Period % 16);
            Assert.Equal(0, terms.Period % c);
            foreach (long first in new long[] { 0, 1, c - 1, c, 7L * c + 5, 1000003 })
                foreach (int count in new[] { 0, 1, 7, 8, 15, 16, 17, 40, 3 * c + 19 })
                {
                    var x = Inputs(random, count);
                    var dst = new byte[count + 1];
                    foreach (int lanes in widths)
                    {
                        Array.Fill(dst, (byte)0xA5);
                        fixed (float* px = x)
                        fixed (byte* pd = dst)
                            Int8QuantizeChannels.Run(px, first, count, terms, pd, lanes);
                        for (int i = 0; i < count; i++)
                        {
                            var q = channels[(first + i) % c];
                            Assert.True(dst[i] == Int8Quantize.Code(x[i], 1f / q.Scale, q.ZeroPoint),
                                $"{lanes} lanes, {c} channels, first {first}: element {i} is {dst[i]}, expected {Int8Quantize.Code(x[i], 1f / q.Scale, q.ZeroPoint)}");
                        }
                        Assert.Equal(0xA5, dst[count]);
                    }
                }
        }
    }

    [Fact]
    public unsafe void ChannelsRefuseAWidthTheCpuCannotRun()
    {
        var terms = new Int8ChannelTerms([new QuantParams(1f, 0)]);
        var x = new float[1];
        var dst = new byte[1];
        Assert.Throws<ArgumentException>(() =>
        {
            fixed (float* px = x)
            fixed (byte* pd = dst)
                Int8QuantizeChannels.Run(px, 0, 1, terms, pd, 4);
        });
    }
}
