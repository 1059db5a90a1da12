using System.Buffers;

namespace Faceprint.Gallery;

/// <summary>
/// A gallery held in memory with exact brute-force search. Embeddings live in one contiguous array so the scan is
/// cache-friendly and vectorised; searches run concurrently, writes take the lock exclusively. Large galleries keep a
/// copy in 8-bit codes as well (a quarter more memory): a search scans the codes on several threads, then rescores in fp32
/// every template whose rough score could still reach the top k, so results stay exactly those of an fp32 scan.
/// </summary>
public sealed class InMemoryGalleryStore : IGalleryStore
{
    /// <summary>Above this many templates a search scans the 8-bit codes on several threads and rescores; below it the fan-out and the second pass cost more than they save.</summary>
    internal const int ParallelThreshold = 50_000;

    private const int ChunkSize = 8192;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly List<string> _people = [];
    private readonly List<int> _peopleCounts = [];
    private readonly Dictionary<string, int> _peopleIndex = new(StringComparer.Ordinal);

    private float[] _data = [];
    // 8-bit copy of _data with one scale per template: large searches scan it first (a quarter of the memory
    // traffic), then rescore exactly.
    private sbyte[] _codes = [];
    private float[] _scales = [];
    private long[] _ids = [];
    private int[] _owners = [];
    private string?[] _sources = [];
    private DateTimeOffset[] _created = [];
    private int _count;
    private long _nextId = 1;
    private int _searchThreads = Environment.ProcessorCount;
    private bool _disposed;

    /// <summary>Creates an empty gallery for embeddings of one model.</summary>
    /// <param name="modelId">Identity of the model that makes the embeddings.</param>
    /// <param name="dimension">Embedding length.</param>
    public InMemoryGalleryStore(string modelId, int dimension)
    {
        if (string.IsNullOrWhiteSpace(modelId))
            throw new GalleryException("the gallery needs a model id");
        if (dimension <= 0)
            throw new GalleryException($"embedding dimension must be positive, not {dimension}");
        ModelId = modelId;
        Dimension = dimension;
    }

    /// <inheritdoc />
    public string ModelId { get; }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>
    /// Most threads one search of a large gallery (above <see cref="ParallelThreshold"/> templates) uses; default all
    /// cores. Results do not depend on it: each thread scores its own slice of templates, and the merge is sequential.
    /// </summary>
    public int SearchThreads
    {
        get => _searchThreads;
        set
        {
            if (value < 1)
                throw new GalleryException($"search threads must be at least 1, not {value}");
            _searchThreads = value;
        }
    }

    /// <summary>Number of templates in the gallery.</summary>
    public int Count
    {
        get
        {
            EnterRead();
            try { return _count; }
            finally { _lock.ExitReadLock(); }
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<long>> AddAsync(string personId, IReadOnlyList<float[]> embeddings, string? source = null, CancellationToken cancellationToken = default)
    {
        (personId, var normalized) = Prepare(personId, embeddings, Dimension);
        cancellationToken.ThrowIfCancellationRequested();
        var created = DateTimeOffset.UtcNow;

        EnterWrite();
        try
        {
            var ids = new long[normalized.Length];
            for (var i = 0; i < normalized.Length; i++)
            {
                ids[i] = _nextId;
                AppendUnlocked(new GalleryTemplate(personId, _nextId, normalized[i], source, created));
            }

            return Task.FromResult<IReadOnlyList<long>>(ids);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <inheritdoc />
    public Task<int> RemovePersonAsync(string personId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(personId);
        cancellationToken.ThrowIfCancellationRequested();
        if (PersonIds.ValidOrNull(personId) is not { } valid)
            return Task.FromResult(0);
        EnterWrite();
        try
        {
            return Task.FromResult(RemoveUnlocked(valid));
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GalleryPerson>> ListPeopleAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        EnterRead();
        try
        {
            var people = new GalleryPerson[_people.Count];
            for (var i = 0; i < people.Length; i++)
                people[i] = new GalleryPerson(_people[i], _peopleCounts[i]);
            Array.Sort(people, (a, b) => string.CompareOrdinal(a.PersonId, b.PersonId));
            return Task.FromResult<IReadOnlyList<GalleryPerson>>(people);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GalleryTemplate>> GetTemplatesAsync(string personId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(personId);
        cancellationToken.ThrowIfCancellationRequested();
        if (PersonIds.ValidOrNull(personId) is not { } valid)
            return Task.FromResult<IReadOnlyList<GalleryTemplate>>([]);
        personId = valid;
        EnterRead();
        try
        {
            if (!_peopleIndex.TryGetValue(personId, out var owner))
                return Task.FromResult<IReadOnlyList<GalleryTemplate>>([]);

            var templates = new List<GalleryTemplate>(_peopleCounts[owner]);
            for (var s = 0; s < _count; s++)
            {
                if (_owners[s] == owner)
                    templates.Add(new GalleryTemplate(personId, _ids[s], _data.AsSpan(s * Dimension, Dimension).ToArray(), _sources[s], _created[s]));
            }

            templates.Sort((a, b) => a.TemplateId.CompareTo(b.TemplateId));
            return Task.FromResult<IReadOnlyList<GalleryTemplate>>(templates);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GalleryMatch>> SearchAsync(float[] query, int k, CancellationToken cancellationToken = default)
    {
        if (k <= 0)
            throw new GalleryException($"search needs k >= 1, not {k}");
        var probe = EmbeddingMath.Normalized(query, Dimension, "query embedding");
        cancellationToken.ThrowIfCancellationRequested();

        EnterRead();
        try
        {
            return Task.FromResult(SearchUnlocked(probe, k, cancellationToken));
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Adds templates that already carry ids and normalised embeddings (a persistent store loading or mirroring
    /// its rows), so the cache agrees with the store's ids.
    /// </summary>
    internal void AddPrepared(IEnumerable<GalleryTemplate> templates)
    {
        EnterWrite();
        try
        {
            foreach (var template in templates)
            {
                if (template.Embedding.Length != Dimension)
                    throw new GalleryException($"template {template.TemplateId} has {template.Embedding.Length} values; the gallery holds {Dimension}-d embeddings");
                AppendUnlocked(template);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Validates a batch for <see cref="IGalleryStore.AddAsync"/> before anything is written, so a bad embedding adds
    /// nothing; returns the person id, checked against the rule (see <see cref="PersonIds"/>) and the normalised embeddings.
    /// </summary>
    internal static (string PersonId, float[][] Embeddings) Prepare(string personId, IReadOnlyList<float[]> embeddings, int dimension)
    {
        personId = PersonIds.Validate(personId);
        ArgumentNullException.ThrowIfNull(embeddings);
        if (embeddings.Count == 0)
            throw new GalleryException($"no embeddings given for person '{personId}'");

        var normalized = new float[embeddings.Count][];
        for (var i = 0; i < normalized.Length; i++)
            normalized[i] = EmbeddingMath.Normalized(embeddings[i], dimension, $"embedding {i} of person '{personId}'");
        return (personId, normalized);
    }

    private IReadOnlyList<GalleryMatch> SearchUnlocked(float[] probe, int k, CancellationToken cancellationToken)
    {
        var n = _count;
        if (n == 0)
            return [];

        // The scores of a large gallery take megabytes: renting them spares the large-object heap a new array per search.
        var scores = ArrayPool<float>.Shared.Rent(n);
        try
        {
            return SearchUnlocked(probe, k, scores, n, cancellationToken);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
        }
    }

    private GalleryMatch[] SearchUnlocked(float[] probe, int k, float[] scores, int n, CancellationToken cancellationToken)
    {
        if (n <= ParallelThreshold)
        {
            ScoreRange(probe, scores, 0, n);
            return TopPeople(scores, n, k);
        }

        // Pass 1, in parallel: from the 8-bit codes, a lower bound on each template's exact score (its rough score less
        // its error bound E_s), and each slice's k best templates of distinct people by that bound.
        var chunks = (n + ChunkSize - 1) / ChunkSize;
        var leaders = new RoughLeaders[chunks];
        var errorPerScale = Int8Codes.ErrorPerScale(probe);
        ForEachChunk(n, cancellationToken, (c, from, to) =>
        {
            ScoreLowerBounds(probe, errorPerScale, scores, from, to);
            leaders[c] = RoughLeaders.Of(scores, _owners, from, to, k);
        });

        // Exactness: the leaders name k distinct people whose exact scores are at least L (the k-th best of their lower
        // bounds), so the exact k-th best person score S is >= L. A template whose upper bound (lower bound + 2 E_s) is
        // below L is exactly below S: it can be neither in the result nor tie with it. Rescoring all the others exactly
        // gives the top k of an fp32 scan, ties included.
        var floor = RoughLeaders.KthBest(leaders, k);

        // Pass 2, in parallel: exact scores for the few templates that could still make the top k.
        var candidates = new List<int>[chunks];
        var dimension = Dimension;
        ForEachChunk(n, cancellationToken, (c, from, to) =>
        {
            var found = new List<int>();
            for (var s = from; s < to; s++)
            {
                if (scores[s] + 2 * ErrorBound(errorPerScale, s) < floor)
                    continue;
                scores[s] = EmbeddingMath.Dot(probe, _data.AsSpan(s * dimension, dimension));
                found.Add(s);
            }

            candidates[c] = found;
        });

        var best = new Dictionary<int, int>();
        foreach (var found in candidates)
        {
            foreach (var s in found)
            {
                var owner = _owners[s];
                if (!best.TryGetValue(owner, out var current) || scores[s] > scores[current] || (scores[s] == scores[current] && _ids[s] < _ids[current]))
                    best[owner] = s;
            }
        }

        return TopOf(best.Select(pair => (pair.Key, pair.Value)), scores, k);
    }

    /// <summary>Runs <paramref name="score"/>(chunk, from, to) over slices of [0, n) on up to <see cref="SearchThreads"/> threads.</summary>
    private void ForEachChunk(int n, CancellationToken cancellationToken, Action<int, int, int> score)
    {
        var chunks = (n + ChunkSize - 1) / ChunkSize;
        if (_searchThreads == 1)
        {
            for (var c = 0; c < chunks; c++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                score(c, c * ChunkSize, Math.Min(n, (c + 1) * ChunkSize));
            }

            return;
        }

        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = _searchThreads };
        Parallel.For(0, chunks, parallel, c => score(c, c * ChunkSize, Math.Min(n, (c + 1) * ChunkSize)));
    }

    /// <summary>The k best people of (owner, best slot) pairs, best first (ties to the smaller person id).</summary>
    private GalleryMatch[] TopOf(IEnumerable<(int Owner, int Slot)> bestSlots, float[] scores, int k)
    {
        var heap = new PriorityQueue<GalleryMatch, GalleryMatch>(k + 1, MatchOrder.WorstFirst);
        foreach (var (owner, s) in bestSlots)
        {
            if (heap.Count == k)
            {
                // Most people lose to the current k-th best; decide that before allocating a match for them.
                var worst = heap.Peek();
                if (scores[s] < worst.Similarity || (scores[s] == worst.Similarity && string.CompareOrdinal(_people[owner], worst.PersonId) > 0))
                    continue;
                var better = new GalleryMatch(_people[owner], _ids[s], scores[s]);
                heap.DequeueEnqueue(better, better);
                continue;
            }

            var match = new GalleryMatch(_people[owner], _ids[s], scores[s]);
            heap.Enqueue(match, match);
        }

        var result = new GalleryMatch[heap.Count];
        for (var i = result.Length - 1; i >= 0; i--)
            result[i] = heap.Dequeue();
        return result;
    }

    /// <summary>Best template per person over all n scores (ties to the smaller template id), then the k best people.</summary>
    private GalleryMatch[] TopPeople(float[] scores, int n, int k)
    {
        // Best template per person first, so a person with many templates cannot crowd others out of the top k.
        var bestSlot = new int[_people.Count];
        Array.Fill(bestSlot, -1);
        for (var s = 0; s < n; s++)
        {
            var owner = _owners[s];
            var best = bestSlot[owner];
            if (best < 0 || scores[s] > scores[best] || (scores[s] == scores[best] && _ids[s] < _ids[best]))
                bestSlot[owner] = s;
        }

        return TopOf(bestSlot.Select((slot, owner) => (owner, slot)).Where(pair => pair.slot >= 0), scores, k);
    }

    private void ScoreRange(float[] probe, float[] scores, int from, int to)
    {
        var dimension = Dimension;
        for (var s = from; s < to; s++)
            scores[s] = EmbeddingMath.Dot(probe, _data.AsSpan(s * dimension, dimension));
    }

    private void ScoreLowerBounds(float[] probe, float errorPerScale, float[] scores, int from, int to)
    {
        var dimension = Dimension;
        for (var s = from; s < to; s++)
            scores[s] = _scales[s] * Int8Codes.Dot(probe, _codes.AsSpan(s * dimension, dimension)) - ErrorBound(errorPerScale, s);
    }

    /// <summary>How far template <paramref name="slot"/>'s rough score can be from its exact score.</summary>
    private float ErrorBound(float errorPerScale, int slot) => _scales[slot] * errorPerScale + Int8Codes.Slack;

    private void AppendUnlocked(GalleryTemplate template)
    {
        EnsureCapacity(_count + 1);
        if (!_peopleIndex.TryGetValue(template.PersonId, out var owner))
        {
            owner = _people.Count;
            _people.Add(template.PersonId);
            _peopleCounts.Add(0);
            _peopleIndex.Add(template.PersonId, owner);
        }

        template.Embedding.CopyTo(_data, _count * Dimension);
        _scales[_count] = Int8Codes.Encode(template.Embedding, _codes.AsSpan(_count * Dimension, Dimension));
        _ids[_count] = template.TemplateId;
        _owners[_count] = owner;
        _sources[_count] = template.Source;
        _created[_count] = template.Created;
        _peopleCounts[owner]++;
        _count++;
        _nextId = Math.Max(_nextId, template.TemplateId + 1);
    }

    private int RemoveUnlocked(string personId)
    {
        if (!_peopleIndex.TryGetValue(personId, out var owner))
            return 0;
        return CompactUnlocked(slot => _owners[slot] == owner);
    }

    /// <summary>
    /// Removes the templates whose ids are in <paramref name="templateIds"/> (a persistent store catching up with
    /// deletions made by another process); people left without templates disappear.
    /// </summary>
    /// <returns>How many templates were removed.</returns>
    internal int RemoveTemplates(IReadOnlySet<long> templateIds)
    {
        EnterWrite();
        try
        {
            return templateIds.Count == 0 ? 0 : CompactUnlocked(slot => templateIds.Contains(_ids[slot]));
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Every template id held, in slot order (a snapshot).</summary>
    internal long[] TemplateIds()
    {
        EnterRead();
        try
        {
            return _ids.AsSpan(0, _count).ToArray();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Drops the slots <paramref name="remove"/> picks, keeping slot (and so id) order, then the people left with none.</summary>
    private int CompactUnlocked(Func<int, bool> remove)
    {
        var write = 0;
        for (var read = 0; read < _count; read++)
        {
            if (remove(read))
            {
                _peopleCounts[_owners[read]]--;
                continue;
            }

            if (write != read)
            {
                Array.Copy(_data, read * Dimension, _data, write * Dimension, Dimension);
                Array.Copy(_codes, read * Dimension, _codes, write * Dimension, Dimension);
                _scales[write] = _scales[read];
                _ids[write] = _ids[read];
                _owners[write] = _owners[read];
                _sources[write] = _sources[read];
                _created[write] = _created[read];
            }

            write++;
        }

        Array.Clear(_sources, write, _count - write);
        var removed = _count - write;
        _count = write;
        if (removed > 0)
            DropEmptyPeopleUnlocked();
        return removed;
    }

    /// <summary>Removes people with no templates left and renumbers the owners of the remaining slots.</summary>
    private void DropEmptyPeopleUnlocked()
    {
        var renumbered = new int[_people.Count];
        var kept = 0;
        for (var p = 0; p < _people.Count; p++)
        {
            if (_peopleCounts[p] == 0)
            {
                _peopleIndex.Remove(_people[p]);
                renumbered[p] = -1;
                continue;
            }

            renumbered[p] = kept;
            _people[kept] = _people[p];
            _peopleCounts[kept] = _peopleCounts[p];
            _peopleIndex[_people[p]] = kept;
            kept++;
        }

        if (kept == _people.Count)
            return;
        _people.RemoveRange(kept, _people.Count - kept);
        _peopleCounts.RemoveRange(kept, _peopleCounts.Count - kept);
        for (var s = 0; s < _count; s++)
            _owners[s] = renumbered[_owners[s]];
    }

    private void EnsureCapacity(int needed)
    {
        if (_ids.Length >= needed)
            return;
        var capacity = Math.Max(16, _ids.Length);
        while (capacity < needed)
            capacity *= 2;

        Array.Resize(ref _data, checked(capacity * Dimension));
        Array.Resize(ref _codes, capacity * Dimension);
        Array.Resize(ref _scales, capacity);
        Array.Resize(ref _ids, capacity);
        Array.Resize(ref _owners, capacity);
        Array.Resize(ref _sources, capacity);
        Array.Resize(ref _created, capacity);
    }

    private void EnterRead()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _lock.EnterReadLock();
    }

    private void EnterWrite()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _lock.EnterWriteLock();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _lock.Dispose();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
