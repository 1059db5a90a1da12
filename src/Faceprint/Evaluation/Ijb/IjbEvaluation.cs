using Faceprint.Alignment;
using Faceprint.Engine;
using Faceprint.Imaging;
using Faceprint.Recognition;

namespace Faceprint.Evaluation.Ijb;

/// <summary>
/// One IJB 1:1 verification run: each image is aligned from its listed landmarks (no detection), run through the network
/// with its mirror image in batches on parallel workers, turned into a feature (<see cref="IjbFeatureOptions"/>) and
/// folded into its template right away, so memory does not grow with the number of images. Raw outputs go to an
/// append-only cache as they are computed; a new run over the same cache only embeds what is missing.
/// </summary>
public sealed class IjbEvaluation : IDisposable
{
    /// <summary>The false accept rates TAR is reported at, as in the IJB papers' tables.</summary>
    public static IReadOnlyList<double> ReportedFars { get; } = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1];

    /// <summary>Bumped whenever the crops fed to the network change (alignment, sampling), so older caches are refused.</summary>
    private const string PreprocessingVersion = "align-5pt-112-v1";

    private readonly IjbLayout _layout;
    private readonly IjbProtocol _protocol;
    private readonly IjbFeatureOptions _features;
    private readonly int _dimension;
    private readonly IjbEmbeddingCache? _cache;
    private readonly TemplateAggregator _aggregator;
    private readonly List<int> _pending;
    private readonly float[] _feature;
    private readonly Lock _gate = new();

    private IjbEvaluation(IjbLayout layout, IjbProtocol protocol, IjbFeatureOptions features, int dimension, string? cachePath, string embedderId)
    {
        _layout = layout;
        _protocol = protocol;
        _features = features;
        _dimension = dimension;
        _feature = new float[dimension];
        _aggregator = new TemplateAggregator(protocol.Images, dimension);

        // Images of templates no pair compares cannot change a score, so they are not embedded.
        var paired = new HashSet<int>(protocol.Pairs.SelectMany(p => new[] { p.Template1, p.Template2 }));
        var needed = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < protocol.Images.Count; i++)
            if (paired.Contains(protocol.Images[i].Template)) needed.Add(protocol.Images[i].Name, i);
        ImageCount = needed.Count;
        Templates = paired.Count;

        if (cachePath is not null)
        {
            _cache = IjbEmbeddingCache.Open(cachePath, $"{embedderId}|{layout.Prefix}|{PreprocessingVersion}", dimension, (name, raw) =>
            {
                // Names the protocol does not use (another meta version) and repeats are skipped.
                if (needed.TryGetValue(name, out int image) && !_aggregator.Contains(image))
                {
                    Fold(image, raw);
                    CachedCount++;
                }
            });
        }
        _pending = needed.Values.Where(i => !_aggregator.Contains(i)).Order().ToList();
    }

    /// <summary>Images the pairs need.</summary>
    public int ImageCount { get; }

    /// <summary>Templates the pairs compare.</summary>
    public int Templates { get; }

    /// <summary>Images whose outputs were read from the cache.</summary>
    public int CachedCount { get; private set; }

    /// <summary>Images still to embed.</summary>
    public int PendingCount
    {
        get
        {
            lock (_gate) return _pending.Count(i => !_aggregator.Contains(i));
        }
    }

    /// <summary>The cache in use, if any.</summary>
    public IjbEmbeddingCache? Cache => _cache;

    /// <summary>
    /// Prepares a run of <paramref name="protocol"/> for a network of <paramref name="dimension"/> outputs identified as
    /// <paramref name="embedderId"/>, reading what <paramref name="cachePath"/> (null: no cache) already holds.
    /// </summary>
    public static IjbEvaluation Open(IjbLayout layout, IjbProtocol protocol, IjbFeatureOptions features, string embedderId, int dimension, string? cachePath) =>
        new(layout, protocol, features, dimension, cachePath, embedderId);

    /// <summary>
    /// Embeds every image not yet done: <paramref name="parallelism"/> workers, each loading, aligning and mirroring
    /// <paramref name="batchSize"/> images and running them as one batch of 2·batchSize. <paramref name="advance"/> is
    /// called once per finished image, from any thread. Results are cached batch by batch.
    /// </summary>
    /// <exception cref="ImageLoadException">An image is missing or unreadable (what was done so far stays cached).</exception>
    public async Task EmbedPendingAsync(FaceEngine engine, int parallelism, int batchSize, Action advance, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (engine.EmbeddingSize != _dimension)
            throw new ArgumentException($"the engine embeds {engine.EmbeddingSize} floats, the run was opened for {_dimension}");
        int[] todo;
        lock (_gate) todo = _pending.Where(i => !_aggregator.Contains(i)).ToArray();
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct };
        await Parallel.ForEachAsync(todo.Chunk(batchSize), options, async (batch, token) =>
        {
            var crops = new RgbImage[2 * batch.Length];
            for (int k = 0; k < batch.Length; k++)
            {
                var image = _protocol.Images[batch[k]];
                var photo = await engine.LoadImageAsync(_layout.ImagePath(image.Name), token).ConfigureAwait(false);
                crops[2 * k] = FaceAligner.Align(photo, image.Landmarks);
                crops[2 * k + 1] = ImageOps.FlipHorizontal(crops[2 * k]);
            }
            var raw = new float[crops.Length * _dimension];
            engine.EmbedAlignedRaw(crops, raw);
            lock (_gate)
            {
                for (int k = 0; k < batch.Length; k++)
                {
                    var outputs = raw.AsSpan(2 * k * _dimension, 2 * _dimension);
                    _cache?.Append(_protocol.Images[batch[k]].Name, outputs);
                    Fold(batch[k], outputs);
                }
                _cache?.Flush();
            }
            for (int k = 0; k < batch.Length; k++) advance();
        }).ConfigureAwait(false);
    }

    /// <summary>Scores every template pair (cosine of the L2-normalised template features) and builds the ROC.</summary>
    /// <exception cref="InvalidOperationException">Images are still pending.</exception>
    /// <exception cref="FaceprintException">The pairs lack same or different pairs.</exception>
    public IjbResult Score()
    {
        if (PendingCount > 0) throw new InvalidOperationException($"{PendingCount} images are not embedded yet");
        var features = _aggregator.TemplateFeatures(out var index);
        var pairs = new ScoredPair[_protocol.Pairs.Count];
        for (int p = 0; p < pairs.Length; p++)
        {
            var pair = _protocol.Pairs[p];
            var a = features.AsSpan(index[pair.Template1] * _dimension, _dimension);
            var b = features.AsSpan(index[pair.Template2] * _dimension, _dimension);
            pairs[p] = new ScoredPair(Embedding.Cosine(a, b), pair.Same);
        }
        var roc = RocCurve.Compute(pairs);
        return new IjbResult(ImageCount, CachedCount, Templates, pairs, roc, ReportedFars.Select(far => (far, roc.AtFalseAcceptRate(far))).ToList());
    }

    /// <inheritdoc />
    public void Dispose() => _cache?.Dispose();

    private void Fold(int image, ReadOnlySpan<float> raw)
    {
        _features.Combine(raw, _protocol.Images[image].DetectorScore, _feature);
        _aggregator.Add(image, _feature);
    }
}
