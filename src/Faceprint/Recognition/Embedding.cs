namespace Faceprint.Recognition;

/// <summary>Operations on L2-normalised face embeddings.</summary>
public static class Embedding
{
    /// <summary>Scales <paramref name="v"/> to unit length (1/√(Σx² + 1e-12), so a zero vector stays finite).</summary>
    public static void Normalize(Span<float> v)
    {
        double sum = 0;
        foreach (float x in v) sum += (double)x * x;
        float inv = (float)(1.0 / Math.Sqrt(sum + 1e-12));
        for (int i = 0; i < v.Length; i++) v[i] *= inv;
    }

    /// <summary>Cosine similarity of two embeddings (their dot product when both are normalised).</summary>
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"embedding sizes differ: {a.Length} vs {b.Length}");
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }
        return (float)(dot / Math.Sqrt(na * nb + 1e-24));
    }
}
