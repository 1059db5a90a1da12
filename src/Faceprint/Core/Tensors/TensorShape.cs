namespace Faceprint.Core.Tensors;

/// <summary>
/// Shape of an activation tensor in the engine's NHWC layout (channels innermost). Every activation is
/// four-dimensional; a flat vector is N×1×1×C.
/// </summary>
public readonly record struct TensorShape(int N, int H, int W, int C)
{
    /// <summary>Elements in one image of the batch.</summary>
    public int PerImage => H * W * C;

    /// <summary>Elements in the whole tensor.</summary>
    public int Size => checked(N * H * W * C);

    /// <summary>Spatial positions over the whole batch.</summary>
    public int Pixels => N * H * W;

    /// <inheritdoc />
    public override string ToString() => $"[{N},{H},{W},{C}]";
}
