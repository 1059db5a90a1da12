namespace Faceprint.Import.Efm3;

/// <summary>One used slot of the EFM3 stage table: expansion t, block count n, first-block stride s.</summary>
public sealed record Efm3Stage(int Expansion, int Blocks, int Stride);
