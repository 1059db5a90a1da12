namespace Faceprint.Core.Graph;

/// <summary>Which test a <see cref="CompareLayer"/> applies to each value against its threshold.</summary>
public enum Comparison
{
    /// <summary>x ≥ threshold.</summary>
    GreaterOrEqual,

    /// <summary>x &lt; threshold.</summary>
    Less,
}
