namespace Faceprint.Core.Graph.Profiling;

/// <summary>One layer's mean time per profiled run.</summary>
/// <param name="Name">Layer name (its weight prefix).</param>
/// <param name="Type">Layer type, without the "Layer" suffix.</param>
/// <param name="Ms">Mean milliseconds per run.</param>
/// <param name="Macs">Multiply-accumulates per run (0 for layers that do none worth counting).</param>
public sealed record LayerTime(string Name, string Type, double Ms, long Macs);
