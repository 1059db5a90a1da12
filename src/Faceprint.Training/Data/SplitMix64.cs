namespace Faceprint.Training.Data;

/// <summary>
/// A tiny, fully specified random generator (SplitMix64). Training draws every random choice from one of these seeded by
/// (run seed, epoch or step, position), so a run's choices are a pure function of its position and an exact resume needs
/// no generator state — and nothing depends on how System.Random is implemented.
/// </summary>
internal struct SplitMix64
{
    private ulong _state;

    /// <summary>Seeds the generator from any number of values (mixed so that nearby inputs give unrelated streams).</summary>
    public SplitMix64(params ReadOnlySpan<long> seed)
    {
        _state = 0x9E3779B97F4A7C15UL;
        foreach (long s in seed)
            _state = Mix(_state ^ (ulong)s);
    }

    /// <summary>Next 64 random bits.</summary>
    public ulong Next()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>).</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        // Multiply-shift: unbiased enough for shuffling (bias below 2^-32 for bounds under 2^31).
        return (int)((UInt128)Next() * (ulong)bound >> 64);
    }

    /// <summary>A uniform double in [0, 1).</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
