using System.Diagnostics;
using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph.Profiling;

/// <summary>
/// Wall time each layer of a session's executed (optimised) graph spent over the runs recorded since it was
/// attached, with the layer's multiply-accumulates at the shapes it last ran, grouped on demand by layer type.
/// Recording adds into preallocated arrays (atomically: a batch run image by image records from several workers),
/// so profiled runs allocate nothing either.
/// </summary>
public sealed class LayerProfile
{
    private readonly IReadOnlyList<Layer> _layers;
    private readonly long[] _ticks;
    private readonly long[] _macs;

    internal LayerProfile(IReadOnlyList<Layer> layers)
    {
        _layers = layers;
        _ticks = new long[layers.Count];
        _macs = new long[layers.Count];
    }

    private int _runs;

    /// <summary>Runs recorded (images, for batches run image by image).</summary>
    public int Runs => Volatile.Read(ref _runs);

    /// <summary>Forgets what was recorded.</summary>
    public void Reset()
    {
        Array.Clear(_ticks);
        _runs = 0;
    }

    /// <summary>Adds layer <paramref name="index"/>'s time, given as <see cref="Stopwatch"/> ticks, to this run.</summary>
    internal void Add(int index, long ticks) => Interlocked.Add(ref _ticks[index], ticks);

    /// <summary>
    /// Closes a run of <paramref name="images"/> images (recorded as that many runs) whose layers saw
    /// <paramref name="shapes"/> (value shapes by id, batch <paramref name="images"/>).
    /// </summary>
    internal void EndRun(TensorShape[] shapes, int images = 1)
    {
        // Image sessions on several workers may close runs at once; the first fixes the multiply-adds per image.
        if (Interlocked.Add(ref _runs, images) == images)
        {
            Span<TensorShape> inputs = stackalloc TensorShape[4];
            for (int i = 0; i < _layers.Count; i++)
            {
                var layer = _layers[i];
                for (int j = 0; j < layer.Inputs.Length; j++) inputs[j] = shapes[layer.Inputs[j]];
                _macs[i] = layer.CountMacs(inputs[..layer.Inputs.Length]) / images;
            }
        }
    }

    /// <summary>Per layer: name, type, mean ms per run and multiply-accumulates per run, in execution order.</summary>
    public IReadOnlyList<LayerTime> Layers()
    {
        double runs = Math.Max(1, Runs);
        return [.. _layers.Select((layer, i) => new LayerTime(layer.Name, TypeName(layer), _ticks[i] * 1000.0 / Stopwatch.Frequency / runs, _macs[i]))];
    }

    /// <summary>Per layer type, slowest first: layers, mean ms per run, share of the total and achieved GFLOP/s.</summary>
    public IReadOnlyList<LayerTypeTime> ByType()
    {
        var layers = Layers();
        double total = layers.Sum(l => l.Ms);
        return [.. layers.GroupBy(l => l.Type)
            .Select(g =>
            {
                double ms = g.Sum(l => l.Ms);
                long macs = g.Sum(l => l.Macs);
                return new LayerTypeTime(g.Key, g.Count(), ms, total > 0 ? ms / total : 0, ms > 0 && macs > 0 ? 2.0 * macs / (ms * 1e6) : null);
            })
            .OrderByDescending(t => t.Ms)];
    }

    // "MultiHeadAttentionLayer" reads as "MultiHeadAttention" in a table; convs are told apart by kernel, since a 1×1
    // (a token linear) and a dense 3×3 (im2col) run different code.
    private static string TypeName(Layer layer)
    {
        string name = layer.GetType().Name;
        if (name.EndsWith("Layer", StringComparison.Ordinal)) name = name[..^"Layer".Length];
        return layer is Conv2dLayer conv ? FormattableString.Invariant($"{name} {conv.Kernel}x{conv.Kernel}") : name;
    }
}
