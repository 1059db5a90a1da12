using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;
using Faceprint.Core.Weights;
using Faceprint.Models;
using Faceprint.Models.FaceLiVT;
using Faceprint.Models.MobileFaceNet;
using Faceprint.Models.Vit;
using Faceprint.Training.Checkpoints;
using Faceprint.Training.Models;
using static TorchSharp.torch;

namespace Faceprint.Training.Export;

/// <summary>
/// Turns a training checkpoint into the engine's <c>.fpm</c> and proves the result: FaceLiVT and ViT go through
/// <see cref="CheckpointImporter"/> (train form, reparameterized at load), MobileFaceNet through its EFM3 train form
/// (BatchNorm folded). The engine network and the TorchSharp network in eval mode then embed the same seeded random
/// batch; every engine form must agree within the tolerance or the export fails.
/// </summary>
public static class ModelExporter
{
    /// <summary>Default parity tolerance on embedding values.</summary>
    public const double DefaultTolerance = 1e-4;

    /// <summary>Default number of faces in the check batch.</summary>
    public const int DefaultBatch = 4;

    /// <summary>
    /// Exports and verifies <paramref name="checkpoint"/>. Throws <see cref="ExportVerificationException"/> when an
    /// engine form differs from the training network by more than <paramref name="tolerance"/>.
    /// </summary>
    public static ExportResult Export(BackboneCheckpoint checkpoint, IReadOnlyDictionary<string, string>? metadata = null,
        int batch = DefaultBatch, double tolerance = DefaultTolerance, int seed = 1)
    {
        var file = ToModelFile(checkpoint, metadata);
        using var model = checkpoint.CreateModel();
        var parity = Verify(model, file, batch, seed);
        var bad = parity.Where(p => !(p.MaxAbsDifference <= tolerance)).ToList();
        if (bad.Count > 0)
            throw new ExportVerificationException($"exported {checkpoint.Family} model does not match the training network: " + string.Join("; ",
                bad.Select(p => FormattableString.Invariant($"{FormName(p.Reparameterized)} max |difference| {p.MaxAbsDifference:G3} > {tolerance:G3}"))));
        return new ExportResult(file, parity, batch, tolerance);
    }

    /// <summary>The engine model file holding <paramref name="checkpoint"/>'s weights (checked strictly by name and shape).</summary>
    public static ModelFile ToModelFile(BackboneCheckpoint checkpoint, IReadOnlyDictionary<string, string>? metadata = null)
    {
        switch (checkpoint.Family)
        {
            case FaceLiVTDefinition.Family:
            case VitDefinition.Family:
                return CheckpointImporter.Import(ModelFamilies.Blueprint(checkpoint.Family, checkpoint.Family, checkpoint.Config), checkpoint.Tensors, metadata);
            case MobileFaceNetDefinition.Family:
                return MobileFaceNetEfm3.FromCheckpoint(checkpoint).ToModelFile(metadata);
            default:
                throw new ModelFormatException($"family '{checkpoint.Family}' cannot be exported (exportable: {string.Join(", ", FaceBackbones.Families)})");
        }
    }

    /// <summary>
    /// Embeds a seeded random batch (values uniform in [−1, 1], the range of normalised pixels) with
    /// <paramref name="model"/> in eval mode and with every engine form of <paramref name="file"/>, and reports the
    /// largest difference per form. Leaves the model in eval mode (on its device).
    /// </summary>
    public static IReadOnlyList<FormParity> Verify(FaceBackbone model, ModelFile file, int batch = DefaultBatch, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        int side = model.InputSize;
        var shape = new TensorShape(batch, side, side, 3);
        var input = new float[shape.Size];
        var random = new Random(seed);
        for (int i = 0; i < input.Length; i++) input[i] = random.NextSingle() * 2 - 1;

        float[] expected = RunTorch(model, input, shape);
        // Only the families stored in train form have a second (unreparameterized) engine form.
        bool[] forms = file.Family == MobileFaceNetDefinition.Family ? [true] : [true, false];
        return forms.Select(reparameterize =>
        {
            float[] actual = RunEngine(ModelFamilies.Build(file, reparameterize), input, shape);
            if (actual.Length != expected.Length)
                throw new ExportVerificationException($"engine output has {actual.Length} values, the training network {expected.Length}");
            double max = 0;
            for (int i = 0; i < actual.Length; i++) max = Math.Max(max, Math.Abs((double)actual[i] - expected[i]));
            if (actual.Any(v => !float.IsFinite(v)) || expected.Any(v => !float.IsFinite(v))) max = double.NaN;
            return new FormParity(reparameterize, max);
        }).ToList();
    }

    private static float[] RunTorch(FaceBackbone model, float[] nhwc, TensorShape shape)
    {
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // On whatever device the model lives (a trainer may verify a GPU model); results come back to the CPU.
        var device = model.parameters().First().device;
        var input = tensor(nhwc, [shape.N, shape.H, shape.W, shape.C]).permute(0, 3, 1, 2).contiguous().to(device);
        var output = model.forward(input).cpu().contiguous();
        return output.data<float>().ToArray();
    }

    private static float[] RunEngine(Network network, float[] nhwc, TensorShape shape)
    {
        // One thread: the check batch is a few faces, and results do not depend on the thread count.
        var session = new InferenceSession(network, 1);
        nhwc.CopyTo(session.PrepareInput(shape));
        session.Run();
        return session.Output(0).ToArray();
    }

    private static string FormName(bool reparameterized) => reparameterized ? "reparameterized form" : "train form (--no-reparam)";
}
