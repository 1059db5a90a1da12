namespace Faceprint.Engine;

/// <summary>Arithmetic the embedding network runs in.</summary>
public enum EmbedderPrecision
{
    /// <summary>32-bit floats throughout.</summary>
    Fp32,

    /// <summary>
    /// 8-bit dense convolutions as the model file's quantization plan says (<c>faceprint models quantize</c>); the other
    /// layers stay fp32.
    /// </summary>
    Int8,
}
