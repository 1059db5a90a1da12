namespace Faceprint.Import.PyTorch;

/// <summary>
/// Finds the state dict in an unpickled checkpoint: the top-level dict itself when all its values are tensors,
/// else the dict under "state_dict", "model" or "module" (training scripts wrap it with epochs, optimiser state…).
/// </summary>
internal static class StateDictLocator
{
    private static readonly string[] WrapperKeys = ["state_dict", "model", "module"];

    /// <summary>The (name, tensor) pairs of the state dict inside <paramref name="root"/>, in pickle order.</summary>
    public static IReadOnlyList<(string Name, TorchTensorReference Tensor)> Locate(object? root)
    {
        if (root is not PickleDict top)
            throw new ModelFormatException($"checkpoint holds a {PickleValue.Describe(root)}, not a state dict (a dict of tensors)");
        if (AsStateDict(top) is { } direct) return direct;
        foreach (string key in WrapperKeys)
        {
            if (!top.TryGet(key, out var inner)) continue;
            if (inner is not PickleDict innerDict)
                throw new ModelFormatException($"checkpoint entry '{key}' is a {PickleValue.Describe(inner)}, not a state dict");
            return AsStateDict(innerDict) ?? throw new ModelFormatException($"checkpoint entry '{key}': {FirstNonTensor(innerDict)}");
        }
        var keys = top.Entries.Take(10).Select(e => e.Key.ToString());
        throw new ModelFormatException(
            $"checkpoint is neither a state dict ({FirstNonTensor(top)}) nor has one under 'state_dict', 'model' or 'module' " +
            $"(top-level keys: {string.Join(", ", keys)}{(top.Entries.Count > 10 ? ", …" : "")})");
    }

    private static List<(string, TorchTensorReference)>? AsStateDict(PickleDict dict)
    {
        var tensors = new List<(string, TorchTensorReference)>(dict.Entries.Count);
        foreach (var (key, value) in dict.Entries)
        {
            if (key is not string name || value is not TorchTensorReference tensor) return null;
            tensors.Add((name, tensor));
        }
        return tensors;
    }

    private static string FirstNonTensor(PickleDict dict)
    {
        var (key, value) = dict.Entries.First(e => e.Key is not string || e.Value is not TorchTensorReference);
        return key is string name ? $"entry '{name}' is a {PickleValue.Describe(value)}, not a tensor" : $"key {key} is not a string";
    }
}
