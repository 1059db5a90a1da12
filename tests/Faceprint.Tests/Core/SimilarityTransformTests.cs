using CsCheck;
using Faceprint.Alignment;
using Faceprint.Detection;
using Faceprint.Preprocessing;

namespace Faceprint.Tests.Core;

public sealed class SimilarityTransformTests
{
    internal sealed record Similarity(double Scale, double Angle, double Tx, double Ty)
    {
        public AffineTransform Transform => new(Scale * Math.Cos(Angle), -Scale * Math.Sin(Angle), Tx,
                                                Scale * Math.Sin(Angle), Scale * Math.Cos(Angle), Ty);
    }

    private static readonly Gen<Similarity> Similarities =
        Gen.Select(Gen.Double[0.2, 5], Gen.Double[-Math.PI, Math.PI], Gen.Double[-100, 100], Gen.Double[-100, 100],
            (s, a, x, y) => new Similarity(s, a, x, y));

    /// <summary>Five landmark-like points, spread out (not all near one spot).</summary>
    private static readonly Gen<PointF[]> Points =
        Gen.Select(Gen.Float[-60, 60], Gen.Float[-60, 60], (x, y) => new PointF(x, y)).Array[5]
            .Where(ps => Spread(ps) > 5);

    private static double Spread(PointF[] ps)
    {
        double mx = ps.Average(p => p.X), my = ps.Average(p => p.Y);
        return Math.Sqrt(ps.Average(p => (p.X - mx) * (p.X - mx) + (p.Y - my) * (p.Y - my)));
    }

    private static PointF Apply(AffineTransform t, PointF p) => new((float)(t.A * p.X + t.B * p.Y + t.Tx), (float)(t.C * p.X + t.D * p.Y + t.Ty));

    private static void AssertTransformClose(AffineTransform expected, AffineTransform actual, double tolerance, string context)
    {
        (double E, double A, string Name)[] parts =
        [
            (expected.A, actual.A, "A"), (expected.B, actual.B, "B"), (expected.Tx, actual.Tx, "Tx"),
            (expected.C, actual.C, "C"), (expected.D, actual.D, "D"), (expected.Ty, actual.Ty, "Ty"),
        ];
        foreach (var (e, a, name) in parts)
            Assert.True(Math.Abs(a - e) <= tolerance * (1 + Math.Abs(e)), $"{context}: {name} is {a}, expected {e}");
    }

    [Fact]
    public void RecoversAnExactSimilarity()
    {
        Gen.Select(Similarities, Points).Sample((sim, points) =>
        {
            var t = sim.Transform;
            var mapped = points.Select(p => Apply(t, p)).ToArray();
            var estimate = SimilarityTransform.Estimate(points, mapped);
            AssertTransformClose(t, estimate, 1e-4, sim.ToString());
            // No reflection: the linear part stays of the form [[a, −b], [b, a]].
            Assert.Equal(estimate.A, estimate.D);
            Assert.Equal(estimate.B, -estimate.C);
        }, iter: 500);
    }

    [Fact]
    public void InvertRoundTrips()
    {
        Gen.Select(Similarities, Points).Sample((sim, points) =>
        {
            var t = sim.Transform;
            var inverse = t.Invert();
            foreach (var p in points)
            {
                var (x, y) = t.Apply(p.X, p.Y);
                var (bx, by) = inverse.Apply(x, y);
                Assert.True(Math.Abs(bx - p.X) <= 1e-4 * (1 + Math.Abs(p.X)) && Math.Abs(by - p.Y) <= 1e-4 * (1 + Math.Abs(p.Y)),
                    $"{sim}: {p} → ({x}, {y}) → ({bx}, {by})");
            }
            AssertTransformClose(t, inverse.Invert(), 1e-9, sim.ToString());
            // T⁻¹ is itself a similarity with scale 1/s.
            Assert.Equal(1 / sim.Scale, Math.Sqrt(inverse.A * inverse.A + inverse.C * inverse.C), 9);
            // Estimating the map back from the mapped points gives T⁻¹, up to the float rounding of those points.
            // Rounding moves each mapped point by at most √2·2⁻²⁴·M (M: largest mapped coordinate); T⁻¹ scales that
            // by 1/s, and a least-squares fit moves its values at the fitted points by at most the noise's 2-norm
            // over all points, so each round trip lands within 2·√(2n)·2⁻²⁴·M/s of where it started. The
            // parameters themselves are not compared: a small scale gives translation a lever arm of |T|/s.
            var mapped = points.Select(p => Apply(t, p)).ToArray();
            var back = SimilarityTransform.Estimate(mapped, points);
            double largest = mapped.Max(q => Math.Max(Math.Abs(q.X), Math.Abs(q.Y)));
            double bound = 2 * Math.Sqrt(2 * points.Length) * Math.Pow(2, -24) * largest / sim.Scale + 1e-9;
            for (int i = 0; i < points.Length; i++)
            {
                double rx = back.A * mapped[i].X + back.B * mapped[i].Y + back.Tx;
                double ry = back.C * mapped[i].X + back.D * mapped[i].Y + back.Ty;
                double miss = Math.Sqrt((rx - points[i].X) * (rx - points[i].X) + (ry - points[i].Y) * (ry - points[i].Y));
                Assert.True(miss <= bound, $"{sim}: {points[i]} comes back {miss} away (bound {bound})");
            }
            Assert.Equal(back.A, back.D);
            Assert.Equal(back.B, -back.C);
        }, iter: 500);
    }

    [Fact]
    public void EstimateIsTheLeastSquaresOptimum()
    {
        // For arbitrary (non-similar) point pairs, nudging any parameter of the estimate never lowers the squared error.
        Gen.Select(Points, Points).Sample((src, dst) =>
        {
            var t = SimilarityTransform.Estimate(src, dst);
            double Error(double a, double b, double tx, double ty) =>
                src.Zip(dst).Sum(pq =>
                {
                    double x = a * pq.First.X - b * pq.First.Y + tx - pq.Second.X;
                    double y = b * pq.First.X + a * pq.First.Y + ty - pq.Second.Y;
                    return x * x + y * y;
                });
            double best = Error(t.A, t.C, t.Tx, t.Ty);
            foreach (double d in new[] { -1e-3, 1e-3 })
            {
                Assert.True(Error(t.A + d, t.C, t.Tx, t.Ty) >= best * (1 - 1e-9));
                Assert.True(Error(t.A, t.C + d, t.Tx, t.Ty) >= best * (1 - 1e-9));
                Assert.True(Error(t.A, t.C, t.Tx + d, t.Ty) >= best * (1 - 1e-9));
                Assert.True(Error(t.A, t.C, t.Tx, t.Ty + d) >= best * (1 - 1e-9));
            }
        });
    }

    [Fact]
    public void RejectsDegenerateInput()
    {
        PointF[] one = [new(1, 2)];
        Assert.Throws<ArgumentException>(() => SimilarityTransform.Estimate(one, one));
        Assert.Throws<ArgumentException>(() => SimilarityTransform.Estimate([new(1, 2), new(3, 4)], one));
        Assert.Throws<ArgumentException>(() => SimilarityTransform.Estimate([new(1, 2), new(1, 2)], [new(0, 0), new(5, 5)]));
        Assert.Throws<InvalidOperationException>(() => new AffineTransform(1, 2, 0, 2, 4, 0).Invert());
    }

    [Fact]
    public void IdentityAndPureTranslation()
    {
        PointF[] src = [new(38.3f, 51.7f), new(73.5f, 51.5f), new(56.0f, 71.7f), new(41.5f, 92.4f), new(70.7f, 92.2f)];
        AssertTransformClose(new AffineTransform(1, 0, 0, 0, 1, 0), SimilarityTransform.Estimate(src, src), 1e-6, "identity");
        var shifted = src.Select(p => new PointF(p.X + 10, p.Y - 4)).ToArray();
        AssertTransformClose(new AffineTransform(1, 0, 10, 0, 1, -4), SimilarityTransform.Estimate(src, shifted), 1e-5, "translation");
    }
}
