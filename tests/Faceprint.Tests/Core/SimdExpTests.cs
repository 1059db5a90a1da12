using System.Runtime.Intrinsics;
using Faceprint.Core.Kernels;
using Faceprint.Core.Kernels.Simd;
using Xunit.Abstractions;

namespace Faceprint.Tests.Core;

public sealed unsafe class SimdExpTests(ITestOutputHelper output)
{
    public static TheoryData<KernelIsa> SupportedIsas() => [.. KernelIsas.Supported];

    [Theory]
    [MemberData(nameof(SupportedIsas))]
    public void ExpOfNonPositiveIsAccurateToAFewUlpsOverSoftmaxRange(KernelIsa isa)
    {
        // Every thousandth over [−87, 0] (all of the inputs' exponent range a max-subtracted softmax can use).
        var x = new float[87_001];
        for (int i = 0; i < x.Length; i++) x[i] = -i / 1000f;
        var y = Apply(isa, x, exp: true);
        double worst = 0;
        for (int i = 0; i < x.Length; i++) worst = Math.Max(worst, Math.Abs(y[i] / Math.Exp(x[i]) - 1));
        output.WriteLine($"{isa}: max relative error of e^x over [-87, 0] = {worst:E2}");
        Assert.True(worst <= 3e-7, $"{isa} exp error {worst:E2}");
        // Far below the range (a masked −∞ score) the result is a tiny normal number, never garbage from the exponent bits.
        var far = Apply(isa, [-1000f, float.NegativeInfinity, -88.5f], exp: true);
        Assert.All(far, v => Assert.InRange(v, 0f, 2e-38f));
    }

    [Theory]
    [MemberData(nameof(SupportedIsas))]
    public void Pow2IsExactOverItsWholeRange(KernelIsa isa)
    {
        var n = Enumerable.Range(-126, 254).Select(i => (float)i).ToArray();
        var y = Apply(isa, n, exp: false);
        for (int i = 0; i < n.Length; i++) Assert.Equal(Math.Pow(2, n[i]), y[i]);
    }

    private static float[] Apply(KernelIsa isa, float[] x, bool exp)
    {
        var y = new float[x.Length];
        fixed (float* px = x)
        fixed (float* py = y)
        {
            switch (isa)
            {
                case KernelIsa.Avx512: Apply<Avx512Simd, Vector512<float>>(px, py, x.Length, exp); break;
                case KernelIsa.Avx2: Apply<Avx2Simd, Vector256<float>>(px, py, x.Length, exp); break;
                default: Apply<PortableSimd, System.Numerics.Vector<float>>(px, py, x.Length, exp); break;
            }
        }
        return y;
    }

    private static void Apply<TS, TV>(float* x, float* y, int length, bool exp) where TS : struct, ISimd<TV> where TV : struct
    {
        for (int i = 0; i < length; i += TS.Width)
        {
            int count = Math.Min(TS.Width, length - i);
            var v = TS.LoadPartial(x + i, count);
            TS.StorePartial(y + i, exp ? SimdMath<TS, TV>.ExpOfNonPositive(v) : TS.Pow2(v), count);
        }
    }
}
