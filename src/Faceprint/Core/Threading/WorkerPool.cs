namespace Faceprint.Core.Threading;

/// <summary>
/// Persistent helper threads that run the chunks of one <see cref="IParallelWork"/> at a time together with the
/// calling thread, without allocating: a dispatch publishes the work, helpers claim chunk numbers with a
/// compare-and-swap on a (generation, next chunk) ticket, and the caller waits for the pending count to reach zero.
/// Helpers spin briefly between dispatches (a network runs dozens of layers back to back) and then block.
/// One dispatch owns the pool at a time; a caller that finds it busy runs its chunks inline, so concurrent sessions
/// never wait on each other and the number of threads stays bounded.
/// </summary>
public sealed class WorkerPool
{
    private const int SpinIterations = 20_000;

    private readonly object _dispatch = new();
    private readonly object _sleep = new();
    private readonly List<Thread> _helpers = [];
    private IParallelWork? _work;
    private int _chunks;
    private int _active;
    private long _ticket;
    private int _pending;
    private int _generation;
    private Exception? _failure;

    /// <summary>The process-wide pool every session shares.</summary>
    public static WorkerPool Shared { get; } = new();

    /// <summary>
    /// Runs chunks [0, <paramref name="chunks"/>) of <paramref name="work"/> on up to <paramref name="threads"/> threads
    /// (the caller included) and returns when all are done; worker ids passed to the chunks are below <paramref name="threads"/>.
    /// </summary>
    public void Run(IParallelWork work, int chunks, int threads)
    {
        if (threads <= 1 || chunks <= 1 || !Monitor.TryEnter(_dispatch))
        {
            for (int i = 0; i < chunks; i++) work.RunChunk(i, 0);
            return;
        }
        try
        {
            EnsureHelpers(threads - 1);
            int generation = _generation + 1;
            _work = work;
            _chunks = chunks;
            _active = threads;
            _failure = null;
            Volatile.Write(ref _pending, chunks);
            Interlocked.Exchange(ref _ticket, (long)generation << 32);
            Volatile.Write(ref _generation, generation);
            lock (_sleep) Monitor.PulseAll(_sleep);
            Drain(generation, 0);
            var spin = new SpinWait();
            while (Volatile.Read(ref _pending) != 0) spin.SpinOnce(sleep1Threshold: -1);
            _work = null;
            if (_failure is { } failure) throw new AggregateException(failure);
        }
        finally
        {
            Monitor.Exit(_dispatch);
        }
    }

    private void EnsureHelpers(int count)
    {
        lock (_helpers)
        {
            while (_helpers.Count < count)
            {
                int id = _helpers.Count + 1;
                var thread = new Thread(() => HelperLoop(id)) { IsBackground = true, Name = $"faceprint-worker-{id}" };
                _helpers.Add(thread);
                thread.Start();
            }
        }
    }

    private void HelperLoop(int id)
    {
        int seen = Volatile.Read(ref _generation);
        while (true)
        {
            int spins = 0;
            while (Volatile.Read(ref _generation) == seen)
            {
                if (++spins < SpinIterations)
                {
                    Thread.SpinWait(8);
                    continue;
                }
                lock (_sleep)
                {
                    while (Volatile.Read(ref _generation) == seen) Monitor.Wait(_sleep);
                }
            }
            seen = Volatile.Read(ref _generation);
            if (id < Volatile.Read(ref _active)) Drain(seen, id);
        }
    }

    /// <summary>Claims and runs chunks of dispatch <paramref name="generation"/> until none is left.</summary>
    private void Drain(int generation, int worker)
    {
        while (true)
        {
            long ticket = Volatile.Read(ref _ticket);
            int chunk = (int)ticket;
            // A stale ticket (an earlier or later dispatch) or an exhausted one: nothing for this dispatch.
            if ((int)(ticket >> 32) != generation || chunk >= Volatile.Read(ref _chunks)) return;
            if (Interlocked.CompareExchange(ref _ticket, ticket + 1, ticket) != ticket) continue;
            // The chunk is claimed and unfinished, so the dispatch (and _work) cannot have moved on.
            try
            {
                _work!.RunChunk(chunk, worker);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
            Interlocked.Decrement(ref _pending);
        }
    }
}
