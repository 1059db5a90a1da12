using Faceprint.Core.Weights;

namespace Faceprint.Import.PyTorch;

/// <summary>
/// A tensor as torch._utils._rebuild_tensor_v2 describes it: a view of <see cref="Storage"/> starting at element
/// <see cref="Offset"/> with <see cref="Shape"/> and element <see cref="Strides"/> (not necessarily contiguous).
/// </summary>
internal sealed record TorchTensorReference(TorchStorageReference Storage, long Offset, int[] Shape, long[] Strides)
{
    /// <summary>Elements of the tensor.</summary>
    public int Count => (int)NamedTensor.Count(Shape);

    /// <summary>True when the view is the whole storage in row-major order, so its values need no gathering.</summary>
    public bool CoversWholeStorage => Offset == 0 && Count == Storage.ElementCount && IsContiguous;

    private bool IsContiguous
    {
        get
        {
            long expected = 1;
            for (int d = Shape.Length - 1; d >= 0; d--)
            {
                // A dimension of size 1 can carry any stride without changing the layout.
                if (Shape[d] != 1 && Strides[d] != expected) return false;
                expected *= Shape[d];
            }
            return true;
        }
    }

    /// <summary>
    /// The furthest storage element the view touches plus one (0 for an empty tensor), checked against overflow,
    /// so a caller can bounds-check the view before reading.
    /// </summary>
    public long ExtentEnd()
    {
        if (Count == 0) return 0;
        long last = Offset;
        for (int d = 0; d < Shape.Length; d++) last = checked(last + (Shape[d] - 1) * Strides[d]);
        return last + 1;
    }

    /// <summary>Copies the view's values out of <paramref name="storage"/> in row-major order.</summary>
    public float[] Gather(float[] storage)
    {
        var values = new float[Count];
        if (values.Length == 0) return values;
        if (IsContiguous)
        {
            Array.Copy(storage, Offset, values, 0, values.Length);
            return values;
        }
        // Odometer over all but the last dimension; the innermost loop walks one row with its stride.
        int rank = Shape.Length;
        var index = new int[rank];
        int rowLength = Shape[rank - 1];
        long rowStride = Strides[rank - 1];
        long rowStart = Offset;
        for (int written = 0; written < values.Length;)
        {
            long at = rowStart;
            for (int i = 0; i < rowLength; i++, at += rowStride) values[written++] = storage[at];
            for (int d = rank - 2; d >= 0; d--)
            {
                rowStart += Strides[d];
                if (++index[d] < Shape[d]) break;
                rowStart -= Strides[d] * Shape[d];
                index[d] = 0;
            }
        }
        return values;
    }
}
