namespace Faceprint.Import.PyTorch;

/// <summary>
/// A Python dict or OrderedDict from a pickle: insertion-ordered, keyed by strings or integers (the only key types
/// state dicts use), a repeated key replacing the value in place as Python does.
/// </summary>
internal sealed class PickleDict
{
    private readonly List<KeyValuePair<object, object?>> _entries = [];
    private readonly Dictionary<object, int> _index = [];

    /// <summary>Entries in insertion order.</summary>
    public IReadOnlyList<KeyValuePair<object, object?>> Entries => _entries;

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>.</summary>
    public void Set(object? key, object? value)
    {
        object k = key switch
        {
            string s => s,
            long n => n,
            bool b => b ? 1L : 0L, // Python: True == 1 as a dict key
            _ => throw new ModelFormatException($"pickle: unsupported dict key of type {PickleValue.Describe(key)}"),
        };
        if (_index.TryGetValue(k, out int at)) _entries[at] = KeyValuePair.Create(k, value);
        else
        {
            _index[k] = _entries.Count;
            _entries.Add(KeyValuePair.Create(k, value));
        }
    }

    /// <summary>Looks up a string key.</summary>
    public bool TryGet(string key, out object? value)
    {
        if (_index.TryGetValue(key, out int at))
        {
            value = _entries[at].Value;
            return true;
        }
        value = null;
        return false;
    }
}
