using CsCheck;
using Faceprint.Core.Weights;
using Faceprint.Import.Checkpoints;

namespace Faceprint.Tests.Import.PyTorch;

/// <summary>Random tensor sets whose values each element type holds exactly, so round trips can compare bit for bit.</summary>
internal static class CheckpointGenerators
{
    public static readonly Gen<int[]> Shape = Gen.Int[0, 5].Array[0, 4];

    /// <summary>An unnamed tensor of random element type, shape (rank 0–4, dimensions 0–5) and values.</summary>
    public static readonly Gen<CheckpointTensor> Tensor =
        from type in Gen.Enum<TensorElementType>()
        from shape in Shape
        from bits in Gen.Int.Array[(int)NamedTensor.Count(shape)]
        select new CheckpointTensor("", shape, type, bits.Select(b => Representable(b, type)).ToArray());

    /// <summary>1–8 tensors with distinct dotted names like those of PyTorch modules.</summary>
    public static readonly Gen<List<CheckpointTensor>> Tensors =
        from names in Gen.String[Gen.Char["abcxyz_.0123"], 1, 12].HashSet[1, 8]
        from tensors in Tensor.Array[names.Count]
        select names.Zip(tensors, (name, t) => t with { Name = name }).ToList();

    private static float Representable(int bits, TensorElementType type) => type switch
    {
        TensorElementType.Float16 => (float)BitConverter.Int16BitsToHalf((short)(bits & 0x7BFF)), // exponent never all ones: finite
        TensorElementType.BFloat16 => BitConverter.Int32BitsToSingle(bits & unchecked((int)0xBF7F0000)),
        TensorElementType.Int64 or TensorElementType.Int32 => bits % 1_000_000,
        _ => BitConverter.Int32BitsToSingle(bits & unchecked((int)0xBF7FFFFF)),
    };
}
