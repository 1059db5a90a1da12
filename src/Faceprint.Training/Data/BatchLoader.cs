namespace Faceprint.Training.Data;

/// <summary>
/// Turns a dataset into shuffled, augmented batches, decoding on worker threads ahead of the training step. The
/// order of epoch e is a shuffle seeded by (seed, e) and each image's flip by (seed, e, position), so batches are the
/// same whatever the thread timing, and a run can resume at any (epoch, batch) and see exactly what it would have seen.
/// </summary>
public sealed class BatchLoader
{
    private readonly IFaceDataset _dataset;
    private readonly BatchLoaderOptions _options;

    /// <summary>Creates a loader over <paramref name="dataset"/>.</summary>
    /// <exception cref="FaceprintException">The dataset holds fewer images than one batch.</exception>
    public BatchLoader(IFaceDataset dataset, BatchLoaderOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ImageSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Workers, 1);
        _dataset = dataset;
        _options = options;
        BatchesPerEpoch = dataset.Count / options.BatchSize;
        if (BatchesPerEpoch == 0)
            throw new FaceprintException($"the training set has {dataset.Count} images, fewer than one batch of {options.BatchSize}");
    }

    /// <summary>Full batches per epoch.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>The image order of <paramref name="epoch"/>: a permutation of 0..Count−1.</summary>
    public int[] Order(int epoch)
    {
        var order = Enumerable.Range(0, _dataset.Count).ToArray();
        new SplitMix64(_options.Seed, epoch, 0x5EED).Shuffle<int>(order);
        return order;
    }

    /// <summary>
    /// The batches of <paramref name="epoch"/> from batch <paramref name="firstBatch"/> on, in order. At most
    /// <see cref="BatchLoaderOptions.Prefetch"/> batches are decoded ahead, by up to <see cref="BatchLoaderOptions.Workers"/> threads.
    /// </summary>
    public IEnumerable<TrainingBatch> Epoch(int epoch, int firstBatch = 0, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstBatch);
        var order = Order(epoch);
        int depth = Math.Max(_options.Prefetch, _options.Workers);
        using var workers = new SemaphoreSlim(_options.Workers);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pending = new Queue<Task<TrainingBatch>>();
        int next = firstBatch;
        try
        {
            while (next < BatchesPerEpoch || pending.Count > 0)
            {
                while (pending.Count < depth && next < BatchesPerEpoch)
                {
                    int index = next++;
                    pending.Enqueue(Task.Run(async () =>
                    {
                        await workers.WaitAsync(stop.Token).ConfigureAwait(false);
                        try
                        {
                            return Build(order, epoch, index, stop.Token);
                        }
                        finally
                        {
                            workers.Release();
                        }
                    }, stop.Token));
                }
                yield return pending.Dequeue().GetAwaiter().GetResult();
            }
        }
        finally
        {
            // Stopped early (break, exception, cancellation): let the decodes in flight end before the semaphore goes.
            stop.Cancel();
            foreach (var task in pending)
                try { task.Wait(); } catch (AggregateException) { } // their results and cancellations are no longer wanted
        }
    }

    private TrainingBatch Build(int[] order, int epoch, int index, CancellationToken ct)
    {
        int n = _options.BatchSize, size = _options.ImageSize, plane = size * size;
        var pixels = new float[n * 3 * plane];
        var labels = new long[n];
        for (int i = 0; i < n; i++)
        {
            ct.ThrowIfCancellationRequested();
            int position = index * n + i;
            var sample = _dataset.Load(order[position]);
            labels[i] = sample.Label;
            bool flip = _options.RandomFlip && (new SplitMix64(_options.Seed, epoch, position, 0xF11B).Next() & 1) == 1;
            PlanarPixels.Write(sample.Image, size, _options.Normalization, flip, pixels.AsSpan(i * 3 * plane, 3 * plane));
        }
        return new TrainingBatch(epoch, index, pixels, labels, size);
    }
}
