namespace Faceprint.Gallery;

/// <summary>
/// The k highest rough scores of one slice of a gallery, at most one per person: enough to bound from below the k-th
/// best person's rough score over the whole gallery without a pass over every person.
/// </summary>
internal sealed class RoughLeaders
{
    private readonly float[] _scores;
    private readonly int[] _owners;

    private RoughLeaders(int k)
    {
        _scores = new float[k];
        _owners = new int[k];
    }

    /// <summary>How many leaders were found (fewer than k when the slice holds fewer people).</summary>
    public int Count { get; private set; }

    /// <summary>The leaders of slots [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public static RoughLeaders Of(float[] scores, int[] owners, int from, int to, int k)
    {
        var leaders = new RoughLeaders(k);
        for (var s = from; s < to; s++)
        {
            // The common case, a score below every leader of a full set, costs one comparison.
            if (leaders.Count == k && scores[s] <= leaders._scores[k - 1])
                continue;
            leaders.Offer(scores[s], owners[s]);
        }

        return leaders;
    }

    /// <summary>
    /// The k-th highest score among the leaders of all slices after keeping each person's highest: k different
    /// people score at least this much, so it never exceeds the true k-th best person score. -infinity when fewer
    /// than k people were seen.
    /// </summary>
    public static float KthBest(IEnumerable<RoughLeaders> slices, int k)
    {
        var best = new Dictionary<int, float>();
        foreach (var slice in slices)
        {
            for (var i = 0; i < slice.Count; i++)
            {
                if (!best.TryGetValue(slice._owners[i], out var current) || slice._scores[i] > current)
                    best[slice._owners[i]] = slice._scores[i];
            }
        }

        if (best.Count < k)
            return float.NegativeInfinity;
        var scores = best.Values.ToArray();
        Array.Sort(scores);
        return scores[^k];
    }

    // Keeps _scores sorted high to low with distinct owners; k is small (a search's top k), so linear is fine.
    private void Offer(float score, int owner)
    {
        var at = Array.IndexOf(_owners, owner, 0, Count);
        if (at >= 0)
        {
            if (score <= _scores[at])
                return;
            RemoveAt(at);
        }
        else if (Count == _scores.Length)
        {
            RemoveAt(Count - 1);
        }

        var i = Count;
        while (i > 0 && _scores[i - 1] < score)
        {
            _scores[i] = _scores[i - 1];
            _owners[i] = _owners[i - 1];
            i--;
        }

        _scores[i] = score;
        _owners[i] = owner;
        Count++;
    }

    private void RemoveAt(int index)
    {
        Array.Copy(_scores, index + 1, _scores, index, Count - index - 1);
        Array.Copy(_owners, index + 1, _owners, index, Count - index - 1);
        Count--;
    }
}
