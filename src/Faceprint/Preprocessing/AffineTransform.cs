namespace Faceprint.Preprocessing;

/// <summary>x' = A·x + B·y + Tx, y' = C·x + D·y + Ty.</summary>
public readonly record struct AffineTransform(double A, double B, double Tx, double C, double D, double Ty)
{
    /// <summary>Applies the transform to a point.</summary>
    public (float X, float Y) Apply(double x, double y) => ((float)(A * x + B * y + Tx), (float)(C * x + D * y + Ty));

    /// <summary>The inverse transform; throws when the matrix is singular.</summary>
    public AffineTransform Invert()
    {
        double det = A * D - B * C;
        if (Math.Abs(det) < 1e-12) throw new InvalidOperationException("affine transform is singular");
        double ia = D / det, ib = -B / det, ic = -C / det, id = A / det;
        return new AffineTransform(ia, ib, -(ia * Tx + ib * Ty), ic, id, -(ic * Tx + id * Ty));
    }
}
