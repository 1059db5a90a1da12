namespace Faceprint.Core.Weights;

/// <summary>A named fp32 parameter tensor in its canonical layout (conv [out, in/groups, kh, kw], linear [out, in]).</summary>
public sealed record NamedTensor(string Name, int[] Shape, float[] Data)
{
    /// <summary>Elements implied by <see cref="Shape"/>.</summary>
    public static long Count(IReadOnlyList<int> shape)
    {
        long n = 1;
        foreach (int d in shape) n *= d;
        return n;
    }

    /// <summary>Shape as text, e.g. [64,3,3,3].</summary>
    public static string Format(IReadOnlyList<int> shape) => "[" + string.Join(",", shape) + "]";
}

/// <summary>A parameter a model definition expects: its name and shape, in the definition's order.</summary>
public sealed record ParameterSpec(string Name, int[] Shape);
