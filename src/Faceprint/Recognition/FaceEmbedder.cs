using Faceprint.Alignment;
using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;
using Faceprint.Detection;
using Faceprint.Imaging;
using Faceprint.Preprocessing;

namespace Faceprint.Recognition;

/// <summary>
/// Turns faces into L2-normalised embeddings with a recognition network (by default the 112×112 aligned crop in,
/// one vector per face out; <see cref="Crop"/> says which crop). Thread-safe: each call rents its own session.
/// </summary>
public sealed class FaceEmbedder : IFaceEmbedder
{
    private readonly SessionPool _pool;
    private readonly int _size;
    private readonly int _perFace;

    /// <summary>
    /// The embedder a model file describes: its family's network at <paramref name="precision"/> (int8 needs a file with a
    /// quantization plan) fed its family's input convention, on the aligned 112×112 crop.
    /// </summary>
    public static FaceEmbedder FromModelFile(Core.Weights.ModelFile file, Engine.EmbedderPrecision precision, int threads, bool flipAverage) =>
        new(EmbedderQuantizer.BuildNetwork(file, precision), Models.ModelFamilies.EmbedderInput(file.Family), threads)
        {
            FlipAverage = flipAverage,
        };

    /// <summary>
    /// Creates the embedder; <paramref name="normalization"/> is the network's input convention and
    /// <paramref name="crop"/> how faces are cut out (default: the 112×112 aligned crop).
    /// </summary>
    public FaceEmbedder(Network network, InputNormalization normalization, int threads = 1, FaceCrop? crop = null)
    {
        _pool = new SessionPool(network, threads);
        Normalization = normalization;
        Crop = crop ?? FaceCrop.Aligned112;
        _size = Crop.Size;
        _perFace = _size * _size * 3;
        Dimension = network.InferShapes(new TensorShape(1, _size, _size, 3))[network.Outputs[0]].PerImage;
    }

    /// <summary>How faces are cut out of a photo for this network.</summary>
    public FaceCrop Crop { get; }

    /// <summary>Multiply-accumulates per face.</summary>
    public long MacsPerFace => _pool.Network.CountMacs(new TensorShape(1, _size, _size, 3));

    /// <summary>Embedding length.</summary>
    public int Dimension { get; }

    /// <summary>Input convention of the network.</summary>
    public InputNormalization Normalization { get; }

    /// <summary>
    /// Embed each face and its mirror image in one batch and use the sum of the two outputs (before normalising):
    /// the test-time flip augmentation of the face-recognition literature, at twice the network cost.
    /// </summary>
    public bool FlipAverage { get; init; }

    /// <summary>Embeds detected faces of <paramref name="image"/>, one batch, each aligned as its detector's landmarks require.</summary>
    public float[][] Embed(RgbImage image, IReadOnlyList<DetectedFace> faces)
    {
        if (faces.Count == 0) return [];
        using var lease = _pool.Rent();
        var session = lease.Session;
        var input = PrepareInput(session, faces.Count);
        for (int i = 0; i < faces.Count; i++) Crop.Into(image, faces[i], Normalization, Row(input, i));
        return RunAndNormalize(session, input, faces.Count);
    }

    /// <summary>Embeds already aligned 112×112 faces.</summary>
    public float[][] EmbedAligned(IReadOnlyList<RgbImage> faces)
    {
        RequireAlignedInput();
        if (faces.Count == 0) return [];
        using var lease = _pool.Rent();
        var session = lease.Session;
        var input = PrepareInput(session, faces.Count);
        for (int i = 0; i < faces.Count; i++) Normalize(faces[i], Row(input, i));
        return RunAndNormalize(session, input, faces.Count);
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
        RequireAlignedInput();
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
        RequireAlignedInput();
        using var lease = _pool.Rent();
        var session = lease.Session;
        var input = PrepareInput(session, 1);
        Normalize(face, Row(input, 0));
        Run(session, input, 1);
        ReadInto(session, 0, 1, destination);
    }

    private Span<float> Row(Span<float> input, int i) => input.Slice(i * _perFace, _perFace);

    private Span<float> PrepareInput(InferenceSession session, int count) =>
        session.PrepareInput(new TensorShape(FlipAverage ? 2 * count : count, _size, _size, 3));

    private void RequireAlignedInput()
    {
        if (!Crop.TakesAlignedFaces)
            throw new FaceprintException($"this model takes its own {_size}x{_size} crop of the photo, not an aligned {FaceAligner.Size}x{FaceAligner.Size} face");
    }

    private void Normalize(RgbImage face, Span<float> destination) => ToInput(face, Normalization, destination);

    /// <summary>An aligned face as network input (also what int8 calibration feeds the fp32 network).</summary>
    internal static void ToInput(RgbImage face, InputNormalization normalization, Span<float> destination)
    {
        if (face.Width != FaceAligner.Size || face.Height != FaceAligner.Size)
            throw new ArgumentException($"aligned faces must be {FaceAligner.Size}x{FaceAligner.Size}, got {face.Width}x{face.Height}");
        float inv = 1f / normalization.Std;
        for (int j = 0; j < destination.Length; j++) destination[j] = (face.Pixels[j] - normalization.Mean) * inv;
    }

    /// <summary>With <see cref="FlipAverage"/>, writes each face's mirror image into the second half of the batch, then runs.</summary>
    private void Run(InferenceSession session, Span<float> input, int count)
    {
        if (FlipAverage)
            for (int i = 0; i < count; i++) Mirror(Row(input, i), Row(input, count + i));
        session.Run();
    }

    private void Mirror(ReadOnlySpan<float> face, Span<float> mirrored)
    {
        int size = _size, row = size * 3;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                face.Slice(y * row + x * 3, 3).CopyTo(mirrored.Slice(y * row + (size - 1 - x) * 3, 3));
    }

    /// <summary>Face <paramref name="i"/>'s output (plus its mirror's), checked finite and L2-normalised.</summary>
    private void ReadInto(InferenceSession session, int i, int count, Span<float> destination)
    {
        var output = session.Output(0);
        output.Slice(i * Dimension, Dimension).CopyTo(destination);
        if (FlipAverage)
        {
            var mirrored = output.Slice((count + i) * Dimension, Dimension);
            for (int j = 0; j < destination.Length; j++) destination[j] += mirrored[j];
        }
        foreach (float x in destination)
            if (!float.IsFinite(x)) throw new FaceprintException("the embedding network produced non-finite values");
        Embedding.Normalize(destination);
    }

    private float[][] RunAndNormalize(InferenceSession session, Span<float> input, int count)
    {
        Run(session, input, count);
        var result = new float[count][];
        for (int i = 0; i < count; i++)
        {
            result[i] = new float[Dimension];
            ReadInto(session, i, count, result[i]);
        }
        return result;
    }
}
