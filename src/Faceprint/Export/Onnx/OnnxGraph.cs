namespace Faceprint.Export.Onnx;

/// <summary>An ONNX graph being assembled: nodes in topological order, initializers, inputs and outputs.</summary>
public sealed class OnnxGraph
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>Creates an empty graph.</summary>
    public OnnxGraph(string name) => Name = name;

    /// <summary>Graph name.</summary>
    public string Name { get; }

    /// <summary>Nodes in execution order.</summary>
    public List<OnnxNode> Nodes { get; } = [];

    /// <summary>Constant tensors.</summary>
    public List<OnnxTensor> Initializers { get; } = [];

    /// <summary>Graph inputs.</summary>
    public List<OnnxValueInfo> Inputs { get; } = [];

    /// <summary>Graph outputs.</summary>
    public List<OnnxValueInfo> Outputs { get; } = [];

    /// <summary>
    /// <paramref name="wanted"/> if no value, initializer or node of the graph uses it yet, otherwise it with the
    /// first free numeric suffix; the name is then taken.
    /// </summary>
    public string Unique(string wanted)
    {
        string name = wanted;
        for (int i = 1; !_names.Add(name); i++) name = $"{wanted}_{i}";
        return name;
    }
}
