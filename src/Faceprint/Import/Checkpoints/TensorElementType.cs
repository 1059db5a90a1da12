namespace Faceprint.Import.Checkpoints;

/// <summary>Element type a checkpoint stores a tensor in; readers convert every type to fp32 values.</summary>
public enum TensorElementType
{
    /// <summary>IEEE 754 single precision (PyTorch float32, safetensors F32).</summary>
    Float32,

    /// <summary>IEEE 754 half precision (float16, F16).</summary>
    Float16,

    /// <summary>Brain float: the upper 16 bits of a float32 (bfloat16, BF16).</summary>
    BFloat16,

    /// <summary>IEEE 754 double precision (float64, F64).</summary>
    Float64,

    /// <summary>Signed 64-bit integer (int64, I64), e.g. BatchNorm's num_batches_tracked.</summary>
    Int64,

    /// <summary>Signed 32-bit integer (int32, I32).</summary>
    Int32,
}
