using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>
/// Buffers and shapes one layer invocation sees, plus the session's threads and per-worker scratch.
/// <para>
/// To parallelise without allocating, implement <see cref="IRowTask"/> on the layer and call
/// <c>args.ForRows(this, rows, workPerRow)</c> from <see cref="Layer.Run"/>; each <see cref="IRowTask.RunRows"/>
/// call gets its own <see cref="LayerArgs"/> whose <see cref="Scratch"/> belongs to the worker running it.
/// </para>
/// </summary>
public readonly ref struct LayerArgs
{
    private readonly ExecutionFrame _frame;
    private readonly Layer _layer;
    private readonly int _worker;

    /// <summary>Bundles the invocation's buffers outside a session (scratch is then allocated on first use).</summary>
    public LayerArgs(float[][] values, TensorShape[] shapes, Layer layer, int threads)
        : this(new ExecutionFrame(values, shapes, threads), layer, 0)
    {
    }

    internal LayerArgs(ExecutionFrame frame, Layer layer, int worker)
    {
        _frame = frame;
        _layer = layer;
        _worker = worker;
    }

    /// <summary>Threads the layer may use.</summary>
    public int Threads => _frame.Threads;

    /// <summary>Which of the <see cref="Threads"/> workers runs this call (0 outside <see cref="ForRows"/>).</summary>
    public int Worker => _worker;

    /// <summary>The i-th input's data, exactly its shape's size.</summary>
    public ReadOnlySpan<float> Input(int i) => _frame.Values[_layer.Inputs[i]].AsSpan(0, _frame.Shapes[_layer.Inputs[i]].Size);

    /// <summary>The i-th input's shape.</summary>
    public TensorShape InputShape(int i) => _frame.Shapes[_layer.Inputs[i]];

    /// <summary>The output buffer, exactly its shape's size.</summary>
    public Span<float> Output => _frame.Values[_layer.Output].AsSpan(0, _frame.Shapes[_layer.Output].Size);

    /// <summary>The output shape.</summary>
    public TensorShape OutputShape => _frame.Shapes[_layer.Output];

    /// <summary>Raw input array (may be longer than the shape: buffers are shared between values by the memory plan).</summary>
    public float[] InputArray(int i) => _frame.Values[_layer.Inputs[i]];

    /// <summary>Raw output array (may be longer than the shape).</summary>
    public float[] OutputArray => _frame.Values[_layer.Output];

    /// <summary>This worker's scratch, at least <paramref name="floats"/> long; contents are undefined on entry.</summary>
    public Span<float> Scratch(int floats) => _frame.Scratch(_worker, floats);

    /// <summary>
    /// Runs <paramref name="task"/> over rows [0, <paramref name="rows"/>) on up to <see cref="Threads"/> threads and
    /// returns when all rows are done. <paramref name="workPerRow"/> (about the multiply-adds of a row) keeps small
    /// layers on one thread; chunk boundaries fall on multiples of <paramref name="grain"/> rows.
    /// </summary>
    public void ForRows(IRowTask task, int rows, long workPerRow, int grain = 1) => _frame.ForRows(_layer, task, rows, workPerRow, grain);
}
