using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Faceprint.Core.Weights;

namespace Faceprint.Import.Checkpoints;

/// <summary>
/// The tensors of a checkpoint (PyTorch state_dict or safetensors file) by name, in file order, plus the file's
/// free-form metadata. <see cref="ToWeightSet"/> turns it into the strict parameter set a model definition takes.
/// </summary>
public sealed class TensorDictionary : IReadOnlyDictionary<string, CheckpointTensor>
{
    private readonly Dictionary<string, CheckpointTensor> _byName = new(StringComparer.Ordinal);
    private readonly List<CheckpointTensor> _ordered = [];

    /// <summary>Wraps tensors; a duplicate name or a shape that disagrees with the data length is an error.</summary>
    public TensorDictionary(IEnumerable<CheckpointTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        foreach (var t in tensors)
        {
            if (t.Shape.Any(d => d < 0)) throw new ModelFormatException($"tensor '{t.Name}' has a negative dimension {NamedTensor.Format(t.Shape)}");
            if (NamedTensor.Count(t.Shape) != t.Data.Length)
                throw new ModelFormatException($"tensor '{t.Name}' shape {NamedTensor.Format(t.Shape)} does not match its {t.Data.Length} values");
            if (!_byName.TryAdd(t.Name, t)) throw new ModelFormatException($"duplicate tensor '{t.Name}'");
            _ordered.Add(t);
        }
        Metadata = metadata ?? new Dictionary<string, string>();
    }

    /// <summary>Tensors in the order the file lists them.</summary>
    public IReadOnlyList<CheckpointTensor> Tensors => _ordered;

    /// <summary>Free-form string metadata (safetensors <c>__metadata__</c>; empty for PyTorch checkpoints).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>True for BatchNorm's step counter, which no inference definition asks for.</summary>
    public static bool IsBatchNormCounter(string name) =>
        name == "num_batches_tracked" || name.EndsWith(".num_batches_tracked", StringComparison.Ordinal);

    /// <summary>
    /// The same tensors with <paramref name="prefix"/> removed from every name that starts with it (e.g. "module."
    /// added by DataParallel); names that would then collide are an error.
    /// </summary>
    public TensorDictionary WithoutPrefix(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        return new TensorDictionary(
            _ordered.Select(t => t.Name.StartsWith(prefix, StringComparison.Ordinal) ? t with { Name = t.Name[prefix.Length..] } : t),
            Metadata);
    }

    /// <summary>
    /// The parameters <paramref name="expected"/> asks for, strictly: every expected tensor present with its shape and
    /// no other tensor, except those <paramref name="ignore"/> accepts (e.g. <see cref="IsBatchNormCounter"/>), which
    /// are dropped when not expected. All mismatches are reported in one <see cref="ModelFormatException"/>.
    /// </summary>
    public WeightSet ToWeightSet(IEnumerable<ParameterSpec> expected, string modelName, Func<string, bool>? ignore = null)
    {
        var specs = expected.ToList();
        var wanted = specs.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var kept = _ordered.Where(t => wanted.Contains(t.Name) || ignore is null || !ignore(t.Name));
        var set = new WeightSet(kept.Select(t => t.ToNamedTensor()));
        set.Validate(specs, modelName);
        return set;
    }

    /// <inheritdoc />
    public CheckpointTensor this[string key] => _byName.TryGetValue(key, out var t) ? t : throw new KeyNotFoundException($"no tensor '{key}' in the checkpoint");

    /// <inheritdoc />
    public IEnumerable<string> Keys => _ordered.Select(t => t.Name);

    /// <inheritdoc />
    public IEnumerable<CheckpointTensor> Values => _ordered;

    /// <inheritdoc />
    public int Count => _ordered.Count;

    /// <inheritdoc />
    public bool ContainsKey(string key) => _byName.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out CheckpointTensor value) => _byName.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, CheckpointTensor>> GetEnumerator() =>
        _ordered.Select(t => KeyValuePair.Create(t.Name, t)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
