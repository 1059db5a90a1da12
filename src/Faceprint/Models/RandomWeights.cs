using Faceprint.Core.Weights;

namespace Faceprint.Models;

/// <summary>
/// Seeded random weights for any parameter list, for latency measurements and reparameterization checks: weights
/// uniform with variance 1/fan-in, biases ±0.1, BatchNorm running means ±0.25 and variances in [0.5, 2] so folding
/// them is a real test. Norm scales are drawn from [0.25, 0.75]: residual branches end in a norm, and gains below 1
/// keep a deep residual stack O(1) as trained nets are (at gain ~1 it grows ~√2 per block, attention logits reach
/// the thousands and fp32 comparisons turn chaotic).
/// </summary>
public static class RandomWeights
{
    /// <summary>A full weight set for <paramref name="specs"/>.</summary>
    public static WeightSet Create(IEnumerable<ParameterSpec> specs, int seed)
    {
        var random = new Random(seed);
        var tensors = new List<NamedTensor>();
        foreach (var spec in specs)
        {
            var data = new float[NamedTensor.Count(spec.Shape)];
            var (low, high) = Range(spec);
            for (int i = 0; i < data.Length; i++) data[i] = (float)(low + random.NextDouble() * (high - low));
            tensors.Add(new NamedTensor(spec.Name, spec.Shape, data));
        }
        return new WeightSet(tensors);
    }

    private static (double Low, double High) Range(ParameterSpec spec)
    {
        string name = spec.Name;
        if (name.EndsWith(".running_var", StringComparison.Ordinal)) return (0.5, 2.0);
        if (name.EndsWith(".running_mean", StringComparison.Ordinal)) return (-0.25, 0.25);
        if (spec.Shape.Length == 1)
            return name.EndsWith(".weight", StringComparison.Ordinal) ? (0.25, 0.75) : (-0.1, 0.1);
        if (spec.Shape[0] == 1) return (-0.02, 0.02); // position embedding and mask token: trunc_normal(0.02)-sized
        long fanIn = NamedTensor.Count(spec.Shape) / spec.Shape[0];
        double bound = Math.Sqrt(3.0 / fanIn);
        return (-bound, bound);
    }
}
