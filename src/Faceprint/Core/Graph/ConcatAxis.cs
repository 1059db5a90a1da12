namespace Faceprint.Core.Graph;

/// <summary>Which NHWC axis a concatenation joins along.</summary>
public enum ConcatAxis
{
    /// <summary>Rows (H).</summary>
    Height = 1,

    /// <summary>Columns (W).</summary>
    Width = 2,

    /// <summary>Channels (C).</summary>
    Channels = 3,
}
