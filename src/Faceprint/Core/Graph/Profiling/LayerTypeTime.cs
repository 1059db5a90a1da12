namespace Faceprint.Core.Graph.Profiling;

/// <summary>The layers of one type together, per profiled run.</summary>
/// <param name="Type">Layer type, without the "Layer" suffix.</param>
/// <param name="Layers">How many layers of this type the executed graph holds.</param>
/// <param name="Ms">Mean milliseconds per run, all of them together.</param>
/// <param name="Share">Fraction of the run's summed layer time.</param>
/// <param name="Gflops">Achieved GFLOP/s (2 FLOP per multiply-accumulate); null for layers that count none.</param>
public sealed record LayerTypeTime(string Type, int Layers, double Ms, double Share, double? Gflops);
