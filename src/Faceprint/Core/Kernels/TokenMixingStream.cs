using Faceprint.Core.Kernels.Simd;

namespace Faceprint.Core.Kernels;

/// <summary>
/// Every head of one MHLA layer's two token-axis linears, packed for <see cref="TokenMixingHeads"/> as one stream in
/// the order the kernel reads it: head by head, the first linear's row tiles then the second's, each tile its
/// <c>rows</c> biases followed by its weights k-major (<c>[k][row]</c>), so a tile reads its weights sequentially and
/// the whole layer's weights are one run of memory that a fixed-distance prefetch walks ahead of.
/// Tiles are cut as <see cref="Gemm.TileRows"/> cuts a GEMM's rows (the same rows per tile the kernel uses).
/// </summary>
public sealed class TokenMixingStream
{
    /// <summary>
    /// Packs per-head weights as PyTorch stores them: first [hidden, tokens] with bias [hidden], second [tokens, hidden]
    /// with bias [tokens].
    /// </summary>
    public TokenMixingStream(IReadOnlyList<float[]> weight1, IReadOnlyList<float[]> bias1, IReadOnlyList<float[]> weight2,
        IReadOnlyList<float[]> bias2, KernelIsa isa)
    {
        Heads = weight1.Count;
        if (Heads == 0 || bias1.Count != Heads || weight2.Count != Heads || bias2.Count != Heads)
            throw new ArgumentException("per-head tensor lists are empty or differ in length");
        Hidden = bias1[0].Length;
        Tokens = bias2[0].Length;
        Isa = isa;
        TileRows = isa switch
        {
            KernelIsa.Avx512 => Avx512Simd.GemmRows,
            KernelIsa.Avx2 => Avx2Simd.GemmRows,
            _ => PortableSimd.GemmRows,
        };
        HeadFloats = (Tokens + 1) * Hidden + (Hidden + 1) * Tokens;
        Packed = GC.AllocateArray<float>(Heads * HeadFloats, pinned: true);
        for (int h = 0; h < Heads; h++)
        {
            if (bias1[h].Length != Hidden || bias2[h].Length != Tokens || weight1[h].Length != Hidden * Tokens || weight2[h].Length != Tokens * Hidden)
                throw new ArgumentException($"head {h} weights do not fit {Tokens} tokens and {Hidden} hidden");
            int at = h * HeadFloats;
            at = PackTiles(weight1[h], bias1[h], Hidden, Tokens, at);
            PackTiles(weight2[h], bias2[h], Tokens, Hidden, at);
        }
    }

    /// <summary>Heads (channel blocks).</summary>
    public int Heads { get; }

    /// <summary>Tokens N (the second linear's outputs, the first one's inputs).</summary>
    public int Tokens { get; }

    /// <summary>Hidden width e·N.</summary>
    public int Hidden { get; }

    /// <summary>Instruction set the tiles are cut for.</summary>
    public KernelIsa Isa { get; }

    /// <summary>Most weight rows per tile (the GEMM's register rows on <see cref="Isa"/>).</summary>
    internal int TileRows { get; }

    /// <summary>Floats of one head: both linears with their biases.</summary>
    internal int HeadFloats { get; }

    // Pinned (pinned object heap) so the kernel takes its address without a fixed block.
    internal float[] Packed { get; }

    // Rows of `weight` ([rows, k] row-major) in tiles: biases, then [k][tile row]. Returns the offset after the last tile.
    private int PackTiles(float[] weight, float[] bias, int rows, int k, int at)
    {
        for (int r0 = 0, tile; r0 < rows; r0 += tile)
        {
            tile = Gemm.TileRows(rows - r0, TileRows);
            for (int r = 0; r < tile; r++) Packed[at + r] = bias[r0 + r];
            at += tile;
            for (int p = 0; p < k; p++)
                for (int r = 0; r < tile; r++)
                    Packed[at + p * tile + r] = weight[(r0 + r) * k + p];
            at += k * tile;
        }
        return at;
    }
}
