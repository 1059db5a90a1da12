namespace Faceprint.Core.Graph;

/// <summary>
/// Splits a layer's output rows across threads when the work is big enough to pay for the hand-off;
/// small layers (most of a 112×112 net at batch 1) run inline.
/// </summary>
public static class RowParallel
{
    private const long MinWorkPerThread = 200_000;

    /// <summary>Runs <paramref name="body"/>(start, end) over [0, rows).</summary>
    public static void For(int rows, long workPerRow, int threads, Action<int, int> body)
    {
        int useful = (int)Math.Clamp(rows * workPerRow / MinWorkPerThread, 1, Math.Max(1, threads));
        useful = Math.Min(useful, rows);
        if (useful <= 1)
        {
            body(0, rows);
            return;
        }
        int chunks = Math.Min(rows, useful * 4);
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = useful }, chunk =>
        {
            int start = (int)((long)rows * chunk / chunks);
            int end = (int)((long)rows * (chunk + 1) / chunks);
            if (end > start) body(start, end);
        });
    }
}
