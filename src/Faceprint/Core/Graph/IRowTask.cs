namespace Faceprint.Core.Graph;

/// <summary>
/// A layer's work over independent rows of its output (pixels, image rows, images — the layer decides), run by
/// <see cref="LayerArgs.ForRows"/> on the session's threads. Implement it on the layer itself: the layer is
/// already allocated and reads everything else from the <see cref="LayerArgs"/> it is handed, so dispatching
/// allocates nothing.
/// </summary>
public interface IRowTask
{
    /// <summary>Computes rows [<paramref name="start"/>, <paramref name="end"/>); calls for disjoint ranges may run concurrently.</summary>
    void RunRows(in LayerArgs args, int start, int end);
}
