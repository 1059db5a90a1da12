namespace Faceprint.Core.Weights;

/// <summary>
/// The parameters handed to a model definition. Strict: a missing tensor, a wrong shape or a tensor
/// the definition never asked for is an error listing every mismatch, so a wrong file never half-loads.
/// </summary>
public sealed class WeightSet
{
    private readonly Dictionary<string, NamedTensor> _tensors;

    /// <summary>Wraps tensors; duplicate names are an error.</summary>
    public WeightSet(IEnumerable<NamedTensor> tensors)
    {
        _tensors = new Dictionary<string, NamedTensor>(StringComparer.Ordinal);
        foreach (var t in tensors)
        {
            if (!_tensors.TryAdd(t.Name, t)) throw new ModelFormatException($"duplicate tensor '{t.Name}'");
            if (NamedTensor.Count(t.Shape) != t.Data.Length)
                throw new ModelFormatException($"tensor '{t.Name}' shape {NamedTensor.Format(t.Shape)} does not match its {t.Data.Length} values");
        }
    }

    /// <summary>All tensors.</summary>
    public IReadOnlyCollection<NamedTensor> Tensors => _tensors.Values;

    /// <summary>The data of tensor <paramref name="name"/>.</summary>
    public float[] this[string name] => _tensors[name].Data;

    /// <summary>Checks that the set holds exactly <paramref name="expected"/> with the right shapes.</summary>
    public void Validate(IEnumerable<ParameterSpec> expected, string modelName)
    {
        var problems = new List<string>();
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in expected)
        {
            wanted.Add(spec.Name);
            if (!_tensors.TryGetValue(spec.Name, out var t)) problems.Add($"missing {spec.Name}{NamedTensor.Format(spec.Shape)}");
            else if (!t.Shape.SequenceEqual(spec.Shape))
                problems.Add($"{spec.Name} has shape {NamedTensor.Format(t.Shape)}, expected {NamedTensor.Format(spec.Shape)}");
        }
        foreach (var name in _tensors.Keys)
            if (!wanted.Contains(name)) problems.Add($"unexpected {name}");
        if (problems.Count > 0)
        {
            const int shown = 8;
            string list = string.Join("; ", problems.Take(shown)) + (problems.Count > shown ? $"; and {problems.Count - shown} more" : "");
            throw new ModelFormatException($"weights do not fit {modelName}: {list}");
        }
    }

    /// <summary>Pairs tensors given in definition order with the specs, renaming them (used by importers).</summary>
    public static WeightSet FromOrdered(IReadOnlyList<ParameterSpec> specs, IReadOnlyList<float[]> values, string modelName)
    {
        if (specs.Count != values.Count)
            throw new ModelFormatException($"{modelName}: source has {values.Count} parameter tensors, definition expects {specs.Count}");
        var tensors = new List<NamedTensor>(specs.Count);
        for (int i = 0; i < specs.Count; i++)
        {
            if (NamedTensor.Count(specs[i].Shape) != values[i].Length)
                throw new ModelFormatException($"{modelName}: tensor #{i} has {values[i].Length} values, {specs[i].Name} needs {NamedTensor.Format(specs[i].Shape)}");
            tensors.Add(new NamedTensor(specs[i].Name, specs[i].Shape, values[i]));
        }
        return new WeightSet(tensors);
    }
}
