namespace Faceprint.Import.PyTorch;

/// <summary>
/// How unpickled Python values are represented: None → null, bool, int → long, float → double, str → string,
/// tuple → object?[], list → List&lt;object?&gt;, dict → <see cref="PickleDict"/>; anything else comes from an
/// <see cref="IPickleResolver"/>. Names them the Python way for error messages.
/// </summary>
internal static class PickleValue
{
    /// <summary>The Python type name of <paramref name="value"/>.</summary>
    public static string Describe(object? value) => value switch
    {
        null => "None",
        bool => "bool",
        long => "int",
        double => "float",
        string => "str",
        object?[] => "tuple",
        List<object?> => "list",
        PickleDict => "dict",
        TorchTensorReference => "tensor",
        TorchStorageReference => "storage",
        _ => value.ToString() ?? value.GetType().Name,
    };
}
