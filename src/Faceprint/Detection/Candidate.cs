namespace Faceprint.Detection;

/// <summary>A face candidate moving through the cascade: box (inclusive pixel edges, as MTCNN counts), score, regression.</summary>
internal sealed class Candidate
{
    public float X1, Y1, X2, Y2, Score;
    public readonly float[] Regression = new float[4];
    public float[]? Landmarks;

    public float Width => X2 - X1 + 1;
    public float Height => Y2 - Y1 + 1;
    public float Area => Width * Height;

    /// <summary>Moves each edge by its regression offset times the box size.</summary>
    public void Calibrate()
    {
        float w = Width, h = Height;
        X1 += w * Regression[0];
        Y1 += h * Regression[1];
        X2 += w * Regression[2];
        Y2 += h * Regression[3];
        Array.Clear(Regression);
    }

    /// <summary>Grows the short side so the box is square around the same centre.</summary>
    public void MakeSquare()
    {
        float w = Width, h = Height, side = Math.Max(w, h);
        float cx = X1 + w * 0.5f, cy = Y1 + h * 0.5f;
        X1 = MathF.Round(cx - side * 0.5f);
        Y1 = MathF.Round(cy - side * 0.5f);
        X2 = X1 + MathF.Round(side) - 1;
        Y2 = Y1 + MathF.Round(side) - 1;
    }
}
