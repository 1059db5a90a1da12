using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;
using Faceprint.Preprocessing;
using static TorchSharp.torch;

namespace Faceprint.Training.Losses;

/// <summary>
/// A Faceprint engine <see cref="Network"/> (e.g. an imported teacher) as a frozen TorchSharp module: runs the engine on
/// the CPU and returns its raw (not L2-normalised) features. The engine is NHWC and expects its own input convention,
/// so the NCHW batch, normalised with the trainer's convention, is converted to the engine's on the way in.
/// </summary>
public sealed class EngineTeacher : nn.Module<Tensor, Tensor>
{
    private readonly InferenceSession _session;
    private readonly InputNormalization _trainer, _engine;

    /// <summary>Wraps <paramref name="network"/>, fed with batches normalised by <paramref name="trainerNormalization"/>.</summary>
    public EngineTeacher(Network network, InputNormalization engineNormalization, InputNormalization trainerNormalization, int threads = 1)
        : base(nameof(EngineTeacher))
    {
        _session = new InferenceSession(network, threads);
        _engine = engineNormalization;
        _trainer = trainerNormalization;
    }

    /// <summary>Features (N×D) of an N×3×H×W batch.</summary>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 4 || input.shape[1] != 3)
            throw new ArgumentException($"expected an N×3×H×W batch, got [{string.Join(", ", input.shape)}]", nameof(input));
        using var scope = NewDisposeScope();
        int n = (int)input.shape[0], h = (int)input.shape[2], w = (int)input.shape[3];
        // x_engine = (pixel − mean_e)/std_e with pixel = x·std_t + mean_t.
        float gain = _trainer.Std / _engine.Std, shift = (_trainer.Mean - _engine.Mean) / _engine.Std;
        using (var nhwc = input.detach().to(float32, CPU).permute(0, 2, 3, 1).mul(gain).add(shift).contiguous())
            nhwc.data<float>().CopyTo(_session.PrepareInput(new TensorShape(n, h, w, 3)));
        _session.Run();
        var output = _session.Output(0).ToArray();
        return tensor(output, [n, output.Length / n]).to(input.device).MoveToOuterDisposeScope();
    }
}
