namespace Faceprint.Server.Inference;

/// <summary>
/// Bounds the decodes and network runs in flight twice: by count (the CPU) and by their estimated memory, so a burst
/// of large images waits its turn instead of multiplying the peak. The CPU-bound work runs on threads of its own
/// rather than the thread pool's: the pool stays free for I/O, so <c>/healthz</c> and refusals answer at once however
/// busy inference is. When a burst that held a lot of memory is over, the memory is handed back to the system.
/// </summary>
internal sealed class InferenceGate : IDisposable
{
    /// <summary>A burst that reserved at least this much triggers a compacting collection once the gate is idle.</summary>
    private const long TrimAfterBytes = 64_000_000;

    private readonly SemaphoreSlim _slots;
    private readonly long _memory;
    private readonly object _sync = new();
    private readonly LinkedList<(long Bytes, TaskCompletionSource Granted)> _waiting = new();
    private long _available;
    private long _burstPeak;

    /// <summary>Creates the gate: <paramref name="slots"/> at once, <paramref name="memoryBytes"/> of estimated memory together.</summary>
    public InferenceGate(int slots, long memoryBytes)
    {
        _slots = new SemaphoreSlim(slots, slots);
        _memory = memoryBytes;
        _available = memoryBytes;
    }

    /// <summary>Estimated memory reserved now, for tests and diagnostics.</summary>
    public long ReservedBytes
    {
        get
        {
            lock (_sync)
                return _memory - _available;
        }
    }

    /// <summary>Runs <paramref name="work"/> on a dedicated thread once a slot and <paramref name="bytes"/> of the memory budget are free.</summary>
    public async Task<T> RunAsync<T>(long bytes, Func<T> work, CancellationToken ct)
    {
        // One request larger than the whole budget still runs, alone.
        bytes = Math.Clamp(bytes, 0, _memory);
        await ReserveAsync(bytes, ct).ConfigureAwait(false);
        try
        {
            await _slots.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                // LongRunning: a thread of its own, so a burst of inference cannot starve the pool that serves health checks.
                return await Task.Factory.StartNew(work, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
            }
            finally
            {
                _slots.Release();
            }
        }
        finally
        {
            Release(bytes);
        }
    }

    private Task ReserveAsync(long bytes, CancellationToken ct)
    {
        LinkedListNode<(long, TaskCompletionSource)> node;
        lock (_sync)
        {
            if (_waiting.Count == 0 && _available >= bytes)
            {
                Take(bytes);
                return Task.CompletedTask;
            }

            node = _waiting.AddLast((bytes, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)));
        }

        var granted = node.Value.Item2;
        if (ct.CanBeCanceled)
        {
            var registration = ct.Register(() =>
            {
                lock (_sync)
                {
                    // Granted already: the caller releases it as usual.
                    if (node.List is null)
                        return;
                    _waiting.Remove(node);
                    GrantWaitingLocked();
                }

                granted.TrySetCanceled(ct);
            });
            _ = granted.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return granted.Task;
    }

    private void Release(long bytes)
    {
        bool trim;
        lock (_sync)
        {
            _available += bytes;
            GrantWaitingLocked();
            trim = _available == _memory && _burstPeak >= TrimAfterBytes;
            if (trim)
                _burstPeak = 0;
        }

        // The large decode buffers of the burst are garbage now; a compacting collection returns their pages to the system.
        if (trim)
            ThreadPool.UnsafeQueueUserWorkItem(_ => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true), null);
    }

    private void GrantWaitingLocked()
    {
        while (_waiting.First is { } first && _available >= first.Value.Bytes)
        {
            _waiting.RemoveFirst();
            Take(first.Value.Bytes);
            first.Value.Granted.TrySetResult();
        }
    }

    private void Take(long bytes)
    {
        _available -= bytes;
        _burstPeak = Math.Max(_burstPeak, _memory - _available);
    }

    /// <inheritdoc />
    public void Dispose() => _slots.Dispose();
}
