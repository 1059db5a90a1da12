using Faceprint.Core.Graph;
using Faceprint.Core.Weights;
using Faceprint.Models.MobileFaceNet;

namespace Faceprint.Tests.Core;

/// <summary>Model definitions built with seeded random weights (He-scaled, so activations stay in a sane range through the depth).</summary>
internal static class RandomNetworks
{
    public static Network MobileFaceNet(MobileFaceNetConfig config, int seed = 1)
    {
        var specs = MobileFaceNetDefinition.Parameters(config).ToList();
        var random = new Random(seed);
        var values = specs.Select(s => Values(random, s)).ToList();
        return MobileFaceNetDefinition.Build(config, WeightSet.FromOrdered(specs, values, "random"));
    }

    /// <summary>A model file holding a seeded random MobileFaceNet of <paramref name="config"/>.</summary>
    public static ModelFile MobileFaceNetFile(MobileFaceNetConfig config, int seed = 1)
    {
        var specs = MobileFaceNetDefinition.Parameters(config).ToList();
        var random = new Random(seed);
        var tensors = specs.Select(s => new NamedTensor(s.Name, s.Shape, Values(random, s))).ToArray();
        return new ModelFile(MobileFaceNetDefinition.Family, Faceprint.Models.ModelFamilies.ToJson(config), tensors);
    }

    private static float[] Values(Random random, ParameterSpec spec)
    {
        int count = (int)NamedTensor.Count(spec.Shape);
        float scale = spec.Name.EndsWith(".alpha", StringComparison.Ordinal) ? 0.25f
            : spec.Name.EndsWith(".bias", StringComparison.Ordinal) ? 0.1f
            : (float)Math.Sqrt(3.0 / spec.Shape.Skip(1).Aggregate(1, (a, b) => a * b));
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = spec.Name.EndsWith(".alpha", StringComparison.Ordinal)
            ? scale * (float)random.NextDouble()
            : scale * (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
