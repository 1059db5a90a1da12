using Faceprint.Core.Tensors;
using Faceprint.Core.Threading;

namespace Faceprint.Core.Graph;

/// <summary>
/// The mutable state behind <see cref="LayerArgs"/> for one session: value buffers, shapes, thread count, per-worker
/// scratch, and the current row dispatch (this object is the <see cref="IParallelWork"/> handed to the pool, so a
/// dispatch allocates nothing).
/// </summary>
internal sealed class ExecutionFrame : IParallelWork
{
    // Below this many multiply-adds per thread the hand-off costs more than it saves.
    private const long MinWorkPerThread = 60_000;
    private const int ChunksPerThread = 4;

    private float[][] _scratch;
    private Layer? _layer;
    private IRowTask? _task;
    private int _rows, _chunkRows;

    public ExecutionFrame(float[][] values, TensorShape[] shapes, int threads)
    {
        Values = values;
        Shapes = shapes;
        Threads = Math.Max(1, threads);
        // One slot per worker up front: workers fill their own slots concurrently, never resize the array.
        _scratch = new float[Threads][];
    }

    public float[][] Values { get; set; }

    public TensorShape[] Shapes { get; set; }

    public int Threads { get; set; }

    /// <summary>Allocates scratch for every worker up front (the session's plan), so runs never grow it.</summary>
    public void ReserveScratch(int floats)
    {
        if (_scratch.Length < Threads) Array.Resize(ref _scratch, Threads);
        for (int w = 0; w < _scratch.Length; w++)
            if (_scratch[w] is null || _scratch[w].Length < floats) _scratch[w] = GC.AllocateArray<float>(floats, pinned: true);
    }

    public Span<float> Scratch(int worker, int floats)
    {
        if (_scratch[worker] is null || _scratch[worker].Length < floats)
        {
            // Only outside a planned session (or for a layer under-reporting ScratchFloats): allocate this worker's buffer.
            _scratch[worker] = GC.AllocateArray<float>(floats, pinned: true);
        }
        return _scratch[worker].AsSpan(0, floats);
    }

    public void ForRows(Layer layer, IRowTask task, int rows, long workPerRow, int grain)
    {
        if (rows <= 0) return;
        grain = Math.Max(1, grain);
        int units = (rows + grain - 1) / grain;
        long useful = Math.Clamp(rows * Math.Max(1, workPerRow) / MinWorkPerThread, 1, Threads);
        if (useful <= 1 || units <= 1)
        {
            task.RunRows(new LayerArgs(this, layer, 0), 0, rows);
            return;
        }
        int chunks = (int)Math.Min(units, useful * ChunksPerThread);
        _chunkRows = (units + chunks - 1) / chunks * grain;
        chunks = (rows + _chunkRows - 1) / _chunkRows;
        _layer = layer;
        _task = task;
        _rows = rows;
        try
        {
            WorkerPool.Shared.Run(this, chunks, (int)useful);
        }
        finally
        {
            _layer = null;
            _task = null;
        }
    }

    public void RunChunk(int chunk, int worker)
    {
        int start = chunk * _chunkRows, end = Math.Min(_rows, start + _chunkRows);
        _task!.RunRows(new LayerArgs(this, _layer!, worker), start, end);
    }
}
