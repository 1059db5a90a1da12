using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;
using Faceprint.Core.Weights;

namespace Faceprint.Models.Mtcnn;

/// <summary>P-Net, R-Net and O-Net of MTCNN (Zhang et al. 2016) from one definition driven by <see cref="CascadeNetConfig"/>.</summary>
public static class CascadeNetDefinition
{
    /// <summary>Family name in model files.</summary>
    public const string Family = "mtcnn-cascade";

    /// <summary>Parameters in the order the network consumes them.</summary>
    public static IEnumerable<ParameterSpec> Parameters(CascadeNetConfig c)
    {
        var specs = new List<ParameterSpec>();
        int channels = 3;
        for (int i = 0; i < c.Convs.Count; i++)
        {
            specs.AddRange(LayerSpecs.Conv($"conv{i + 1}", channels, c.Convs[i].Channels, c.Convs[i].Kernel, prelu: true));
            channels = c.Convs[i].Channels;
        }
        int features = c.Dense.Count > 0 ? FlattenedFeatures(c) : channels;
        for (int i = 0; i < c.Dense.Count; i++)
        {
            specs.AddRange(LayerSpecs.Linear($"dense{i + 1}", features, c.Dense[i], prelu: true));
            features = c.Dense[i];
        }
        foreach (var head in c.Heads)
            specs.AddRange(c.Dense.Count > 0
                ? LayerSpecs.Linear($"head.{head.Name}", features, head.Outputs, prelu: false)
                : LayerSpecs.Conv($"head.{head.Name}", features, head.Outputs, 1, prelu: false));
        return specs;
    }

    /// <summary>Builds the graph; outputs follow <see cref="CascadeNetConfig.Heads"/>.</summary>
    public static Network Build(CascadeNetConfig c, WeightSet weights)
    {
        weights.Validate(Parameters(c), c.Name);
        var builder = new NetworkBuilder();
        var f = new LayerFactory(builder, weights);
        int x = NetworkBuilder.Input, channels = 3;
        for (int i = 0; i < c.Convs.Count; i++)
        {
            var stage = c.Convs[i];
            x = f.Conv($"conv{i + 1}", x, channels, stage.Kernel, 1, Padding.Valid, prelu: true);
            if (stage.Pool is { } pool)
                x = f.MaxPool($"pool{i + 1}", x, pool.Kernel, pool.Stride, pool.Same ? Padding.Same : Padding.Valid);
            channels = stage.Channels;
        }
        int features = c.Dense.Count > 0 ? FlattenedFeatures(c) : channels;
        for (int i = 0; i < c.Dense.Count; i++)
        {
            x = f.Linear($"dense{i + 1}", x, features, prelu: true);
            features = c.Dense[i];
        }
        var outputs = new int[c.Heads.Count];
        for (int h = 0; h < c.Heads.Count; h++)
        {
            var head = c.Heads[h];
            int y = c.Dense.Count > 0
                ? f.Linear($"head.{head.Name}", x, features, prelu: false)
                : f.Conv($"head.{head.Name}", x, features, 1, 1, Padding.Valid, prelu: false);
            outputs[h] = head.Softmax ? f.Softmax($"head.{head.Name}.softmax", y) : y;
        }
        return builder.Build(c.Name, 3, outputs);
    }

    /// <summary>Values per image entering the first dense layer (the last conv map, flattened h, w, c).</summary>
    private static int FlattenedFeatures(CascadeNetConfig c)
    {
        int side = c.InputSize;
        foreach (var stage in c.Convs)
        {
            side = side - stage.Kernel + 1;
            if (stage.Pool is { } pool)
                side = (pool.Same ? Padding.Same : Padding.Valid).Resolve(side, pool.Kernel, pool.Stride).Output;
        }
        return side * side * c.Convs[^1].Channels;
    }
}
