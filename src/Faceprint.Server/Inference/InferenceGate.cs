namespace Faceprint.Server.Inference;

/// <summary>
/// Bounds how many requests decode images and run networks at once. The work is CPU-bound and synchronous, so
/// without a bound a burst of uploads would tie up every thread-pool thread and stall even <c>/healthz</c>;
/// requests beyond the bound wait asynchronously instead.
/// </summary>
internal sealed class InferenceGate(int slots) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(slots, slots);

    /// <summary>Runs <paramref name="work"/> once a slot is free.</summary>
    public async Task<T> RunAsync<T>(Func<T> work, CancellationToken ct)
    {
        await _slots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return work();
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _slots.Dispose();
}
