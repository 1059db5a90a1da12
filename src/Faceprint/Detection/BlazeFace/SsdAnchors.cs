namespace Faceprint.Detection.BlazeFace;

/// <summary>
/// Anchor centres of an SSD grid as MediaPipe's SSD anchor generator lays them out for fixed-size anchors with one
/// aspect ratio: consecutive layers of equal stride share a grid of ⌈input/stride⌉ cells, each cell holding one
/// anchor per layer (two with the interpolated-scale anchor), cells in row-major order, all at the cell centre.
/// </summary>
internal static class SsdAnchors
{
    /// <summary>Centres normalised to [0, 1], interleaved x, y, in the order of the model's outputs.</summary>
    public static float[] Centres(BlazeFaceSpec spec)
    {
        var centres = new List<float>();
        for (int layer = 0; layer < spec.Strides.Length;)
        {
            int stride = spec.Strides[layer], last = layer;
            while (last < spec.Strides.Length && spec.Strides[last] == stride) last++;
            int perCell = (last - layer) * (spec.InterpolatedAnchor ? 2 : 1);
            int grid = (spec.InputSize + stride - 1) / stride;
            for (int y = 0; y < grid; y++)
                for (int x = 0; x < grid; x++)
                    for (int a = 0; a < perCell; a++)
                    {
                        centres.Add((x + 0.5f) / grid);
                        centres.Add((y + 0.5f) / grid);
                    }
            layer = last;
        }
        return [.. centres];
    }
}
