using Faceprint.Alignment;
using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;
using Faceprint.Detection;
using Faceprint.Imaging;
using Faceprint.Preprocessing;

namespace Faceprint.Recognition;

/// <summary>
/// Turns aligned faces into L2-normalised embeddings with a recognition network (112×112 RGB in,
/// one vector per face out). Thread-safe: each call rents its own session.
/// </summary>
public sealed class FaceEmbedder
{
    private readonly SessionPool _pool;

    /// <summary>Creates the embedder; <paramref name="normalization"/> is the network's input convention.</summary>
    public FaceEmbedder(Network network, InputNormalization normalization, int threads = 1)
    {
        _pool = new SessionPool(network, threads);
        Normalization = normalization;
        Dimension = network.InferShapes(new TensorShape(1, FaceAligner.Size, FaceAligner.Size, 3))[network.Outputs[0]].PerImage;
    }

    /// <summary>Multiply-accumulates per face.</summary>
    public long MacsPerFace => _pool.Network.CountMacs(new TensorShape(1, FaceAligner.Size, FaceAligner.Size, 3));

    /// <summary>Embedding length.</summary>
    public int Dimension { get; }

    /// <summary>Input convention of the network.</summary>
    public InputNormalization Normalization { get; }

    /// <summary>Embeds faces of <paramref name="image"/> given their landmarks, one batch.</summary>
    public float[][] Embed(RgbImage image, IReadOnlyList<IReadOnlyList<PointF>> landmarks)
    {
        if (landmarks.Count == 0) return [];
        using var lease = _pool.Rent();
        var session = lease.Session;
        int per = FaceAligner.Size * FaceAligner.Size * 3;
        var input = session.PrepareInput(new TensorShape(landmarks.Count, FaceAligner.Size, FaceAligner.Size, 3));
        for (int i = 0; i < landmarks.Count; i++) FaceAligner.AlignInto(image, landmarks[i], Normalization, input.Slice(i * per, per));
        return RunAndNormalize(session, landmarks.Count);
    }

    /// <summary>Embeds already aligned 112×112 faces.</summary>
    public float[][] EmbedAligned(IReadOnlyList<RgbImage> faces)
    {
        if (faces.Count == 0) return [];
        using var lease = _pool.Rent();
        var session = lease.Session;
        int per = FaceAligner.Size * FaceAligner.Size * 3;
        var input = session.PrepareInput(new TensorShape(faces.Count, FaceAligner.Size, FaceAligner.Size, 3));
        for (int i = 0; i < faces.Count; i++) Normalize(faces[i], input.Slice(i * per, per));
        return RunAndNormalize(session, faces.Count);
    }

    /// <summary>
    /// Runs already aligned 112×112 faces as one batch and writes the network's raw outputs, not normalised, to
    /// <paramref name="destination"/> (faces.Count · <see cref="Dimension"/> floats, face after face): template
    /// protocols such as IJB weight each image by the norm of its feature.
    /// </summary>
    public void EmbedAlignedRaw(IReadOnlyList<RgbImage> faces, Span<float> destination)
    {
        if (destination.Length != faces.Count * Dimension)
            throw new ArgumentException($"destination holds {destination.Length} floats, expected {faces.Count * Dimension}");
        if (faces.Count == 0) return;
        using var lease = _pool.Rent();
        var session = lease.Session;
        int per = FaceAligner.Size * FaceAligner.Size * 3;
        var input = session.PrepareInput(new TensorShape(faces.Count, FaceAligner.Size, FaceAligner.Size, 3));
        for (int i = 0; i < faces.Count; i++) Normalize(faces[i], input.Slice(i * per, per));
        session.Run();
        session.Output(0)[..destination.Length].CopyTo(destination);
        foreach (float x in destination)
            if (!float.IsFinite(x)) throw new FaceprintException("the embedding network produced non-finite values");
    }

    /// <summary>
    /// Embeds one aligned 112×112 face into <paramref name="destination"/> (<see cref="Dimension"/> floats, L2-normalised).
    /// Allocates nothing once a session of the pool has run this shape.
    /// </summary>
    public void EmbedAlignedInto(RgbImage face, Span<float> destination)
    {
        if (destination.Length != Dimension) throw new ArgumentException($"destination holds {destination.Length} floats, expected {Dimension}");
        using var lease = _pool.Rent();
        var session = lease.Session;
        Normalize(face, session.PrepareInput(new TensorShape(1, FaceAligner.Size, FaceAligner.Size, 3)));
        session.Run();
        session.Output(0).CopyTo(destination);
        foreach (float x in destination)
            if (!float.IsFinite(x)) throw new FaceprintException("the embedding network produced non-finite values");
        Embedding.Normalize(destination);
    }

    private void Normalize(RgbImage face, Span<float> destination)
    {
        if (face.Width != FaceAligner.Size || face.Height != FaceAligner.Size)
            throw new ArgumentException($"aligned faces must be {FaceAligner.Size}x{FaceAligner.Size}, got {face.Width}x{face.Height}");
        float inv = 1f / Normalization.Std;
        for (int j = 0; j < destination.Length; j++) destination[j] = (face.Pixels[j] - Normalization.Mean) * inv;
    }

    private float[][] RunAndNormalize(InferenceSession session, int count)
    {
        session.Run();
        var output = session.Output(0);
        var result = new float[count][];
        for (int i = 0; i < count; i++)
        {
            result[i] = output.Slice(i * Dimension, Dimension).ToArray();
            if (!float.IsFinite(result[i].Sum())) throw new FaceprintException("the embedding network produced non-finite values");
            Embedding.Normalize(result[i]);
        }
        return result;
    }
}
