namespace Faceprint.Import.PyTorch;

/// <summary>
/// The allowlist of a checkpoint pickle: OrderedDict, the tensor and parameter rebuild functions, the typed storage
/// classes and 'storage' persistent ids. Any other global is refused by name before anything could use it.
/// </summary>
internal sealed class TorchPickleResolver : IPickleResolver
{
    /// <inheritdoc />
    public object FindGlobal(string module, string name) => (module, name) switch
    {
        ("collections", "OrderedDict") => TorchCallable.OrderedDict,
        ("torch._utils", "_rebuild_tensor_v2") => TorchCallable.RebuildTensorV2,
        ("torch._utils", "_rebuild_parameter") => TorchCallable.RebuildParameter,
        ("torch._utils", "_rebuild_parameter_with_state") => TorchCallable.RebuildParameterWithState,
        ("torch", _) when TorchStorageType.Known.TryGetValue(name, out var storage) => storage,
        _ => throw new ModelFormatException(
            $"checkpoint refers to Python global '{module}.{name}', which a weights-only reader does not load " +
            "(save only the state_dict: torch.save(model.state_dict(), path))"),
    };

    /// <inheritdoc />
    public object? Call(object callable, object?[] args) => callable switch
    {
        TorchCallable.OrderedDict => NewOrderedDict(args),
        TorchCallable.RebuildTensorV2 => RebuildTensor(args),
        TorchCallable.RebuildParameter when args.Length == 3 => ExpectTensor(args[0], "_rebuild_parameter"),
        TorchCallable.RebuildParameterWithState when args.Length == 4 => ExpectTensor(args[0], "_rebuild_parameter_with_state"),
        TorchCallable c => throw new ModelFormatException($"pickle: {c} called with {args.Length} arguments"),
        _ => throw new ModelFormatException($"pickle: {PickleValue.Describe(callable)} is not callable"),
    };

    /// <inheritdoc />
    public object? PersistentLoad(object? id)
    {
        if (id is not object?[] { Length: 5 } t || t[0] is not "storage")
            throw new ModelFormatException($"pickle: unsupported persistent id {PickleValue.Describe(id)} (expected ('storage', type, key, location, numel))");
        if (t[1] is not TorchStorageType type) throw new ModelFormatException($"pickle: storage type {PickleValue.Describe(t[1])} is not a torch storage class");
        if (t[2] is not string key || key.Length == 0 || key.Contains('/') || key.Contains(".."))
            throw new ModelFormatException($"pickle: invalid storage key {PickleValue.Describe(t[2])}");
        if (t[3] is not string) throw new ModelFormatException($"pickle: storage {key} has no device location");
        if (t[4] is not long count || count < 0) throw new ModelFormatException($"pickle: storage {key} has an invalid element count");
        return new TorchStorageReference(key, type.ElementType, count);
    }

    /// <inheritdoc />
    public void Build(object? instance, object? state)
    {
        // state_dict() pickles its '_metadata' (per-module versions) as OrderedDict attributes; the reader ignores it.
        if (instance is PickleDict && state is PickleDict or null) return;
        throw new ModelFormatException($"pickle: cannot apply state {PickleValue.Describe(state)} to {PickleValue.Describe(instance)}");
    }

    private static PickleDict NewOrderedDict(object?[] args)
    {
        var dict = new PickleDict();
        if (args.Length == 0) return dict;
        if (args is [List<object?> pairs])
        {
            foreach (var pair in pairs)
            {
                if (pair is not object?[] { Length: 2 } kv) throw new ModelFormatException("pickle: OrderedDict item is not a (key, value) pair");
                dict.Set(kv[0], kv[1]);
            }
            return dict;
        }
        throw new ModelFormatException($"pickle: OrderedDict called with {args.Length} arguments");
    }

    private static TorchTensorReference RebuildTensor(object?[] args)
    {
        if (args.Length is not (6 or 7)) throw new ModelFormatException($"pickle: _rebuild_tensor_v2 called with {args.Length} arguments, expected 6 or 7");
        if (args[0] is not TorchStorageReference storage)
            throw new ModelFormatException($"pickle: _rebuild_tensor_v2 needs a storage, found {PickleValue.Describe(args[0])}");
        if (args[1] is not long offset || offset < 0) throw new ModelFormatException($"pickle: tensor on storage {storage.Key} has an invalid storage offset");
        long[] size = Integers(args[2], "size", storage.Key);
        long[] stride = Integers(args[3], "stride", storage.Key);
        if (size.Length != stride.Length)
            throw new ModelFormatException($"pickle: tensor on storage {storage.Key} has {size.Length} sizes but {stride.Length} strides");
        if (size.Any(d => d < 0 || d > int.MaxValue) || stride.Any(s => s < 0))
            throw new ModelFormatException($"pickle: tensor on storage {storage.Key} has an invalid size or stride");
        long count = 1;
        foreach (long d in size) count = count * d > Array.MaxLength ? long.MaxValue : count * d;
        if (count > Array.MaxLength) throw new ModelFormatException($"pickle: tensor on storage {storage.Key} is too large ({string.Join("x", size)})");
        return new TorchTensorReference(storage, offset, size.Select(d => (int)d).ToArray(), stride);
    }

    private static long[] Integers(object? value, string what, string key)
    {
        if (value is object?[] items && items.All(i => i is long)) return items.Select(i => (long)i!).ToArray();
        throw new ModelFormatException($"pickle: tensor on storage {key} has a {what} that is not a tuple of integers");
    }

    private static TorchTensorReference ExpectTensor(object? value, string what) =>
        value as TorchTensorReference ?? throw new ModelFormatException($"pickle: {what} expects a tensor, found {PickleValue.Describe(value)}");
}
