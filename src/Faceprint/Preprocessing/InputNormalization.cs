namespace Faceprint.Preprocessing;

/// <summary>Maps an 8-bit pixel value v to (v − Mean) / Std, the input convention of a network.</summary>
public readonly record struct InputNormalization(float Mean, float Std)
{
    /// <summary>(v − 127.5) / 128: MTCNN, MobileFaceNet, FaceX, InsightFace.</summary>
    public static InputNormalization Symmetric128 => new(127.5f, 128f);

    /// <summary>(v / 255 − 0.5) / 0.5: FaceLiVT's convention.</summary>
    public static InputNormalization Symmetric127_5 => new(127.5f, 127.5f);
}
