using Faceprint.Cli.Commands;
using Faceprint.Core.Graph;
using Faceprint.Core.Graph.Profiling;
using Faceprint.Core.Tensors;

namespace Faceprint.Bench.Cli.Commands;

/// <summary>Where one model's forward pass spends its time, per layer type (<c>faceprint bench --profile</c>).</summary>
/// <param name="Model">Bench model name.</param>
/// <param name="Threads">Threads of the session.</param>
/// <param name="Batch">Images per run.</param>
/// <param name="Runs">Runs recorded.</param>
/// <param name="PerImage">The batch ran image by image, so times are per image rather than per run.</param>
/// <param name="TotalMs">Summed layer time per run (per image when <paramref name="PerImage"/>).</param>
/// <param name="Types">Per layer type, slowest first.</param>
/// <param name="Layers">Per layer of the executed graph, in execution order (the JSON form carries them).</param>
/// <param name="Int8">The model's int8 form was profiled (<c>--int8</c>), not its fp32 form.</param>
internal sealed record ModelProfile(string Model, int Threads, int Batch, int Runs, bool PerImage, double TotalMs, IReadOnlyList<LayerTypeTime> Types,
    IReadOnlyList<LayerTime> Layers, bool Int8)
{
    /// <summary>Warms a session up on random input, then records <paramref name="runs"/> runs with per-layer timing on.</summary>
    public static ModelProfile Record(BenchModel model, Network network, int threads, int batch, int runs, bool int8)
    {
        var session = new InferenceSession(network, threads);
        var shape = new TensorShape(batch, model.InputSize, model.InputSize, network.InputChannels);
        var input = session.PrepareInput(shape);
        var random = new Random(7);
        for (int i = 0; i < input.Length; i++) input[i] = random.NextSingle() * 2 - 1;
        // Timing is switched on only after warm-up, as in the bench proper (the JIT tiers up hot kernels after ~30 calls).
        BenchTimer.Time(session.Run, 1);
        var profile = session.StartProfiling();
        for (int i = 0; i < runs; i++) session.Run();
        session.StopProfiling();
        var types = profile.ByType();
        return new ModelProfile(model.Name, threads, batch, runs, profile.Runs != runs, types.Sum(t => t.Ms), types, profile.Layers(), int8);
    }
}
