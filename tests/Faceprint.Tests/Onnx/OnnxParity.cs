using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;
using Faceprint.Export.Onnx;
using Faceprint.OnnxRuntime;

namespace Faceprint.Tests.Onnx;

/// <summary>Runs a network in the engine and, exported, in ONNX Runtime on the same input; reports the worst difference.</summary>
internal static class OnnxParity
{
    /// <summary>Max |engine − ORT| over every output, and the largest |output| (to show the tolerance is meaningful).</summary>
    public static (float MaxDiff, float Scale) Compare(Network network, int batch, int height, int width, int seed, int threads = 2)
    {
        var shape = new TensorShape(batch, height, width, network.InputChannels);
        var random = new Random(seed);
        var input = new float[shape.Size];
        for (int i = 0; i < input.Length; i++) input[i] = random.NextSingle() * 2 - 1;

        var session = new InferenceSession(network, threads);
        input.CopyTo(session.PrepareInput(shape));
        session.Run();
        using var ort = new OrtModelRunner(new OnnxExporter().Export(network, height, width), threads);
        input.CopyTo(ort.PrepareInput(shape));
        ort.Run();

        Assert.Equal(network.Outputs.Count, ort.OutputCount);
        float worst = 0, scale = 0;
        for (int o = 0; o < network.Outputs.Count; o++)
        {
            var s = session.OutputShape(o);
            Assert.Equal([s.N, s.H, s.W, s.C], ort.OutputShape(o));
            var engine = session.Output(o);
            var reference = ort.Output(o);
            for (int i = 0; i < engine.Length; i++)
            {
                worst = MathF.Max(worst, MathF.Abs(engine[i] - reference[i]));
                scale = MathF.Max(scale, MathF.Abs(reference[i]));
            }
        }
        return (worst, scale);
    }
}
