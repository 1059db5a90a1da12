using Faceprint.Recognition;

namespace Faceprint.Evaluation.Ijb;

/// <summary>
/// Builds template features as image features arrive, in any order, without keeping them: each is added to the running
/// sum of its (template, media); at the end a template is the sum of its media means, L2-normalised. Memory is one
/// D-vector per (template, media), whatever the number of images.
/// </summary>
public sealed class TemplateAggregator
{
    private readonly int _dimension;
    private readonly int[] _slotOfImage;
    private readonly int[] _templateOfSlot;
    private readonly double[] _sums;
    private readonly int[] _counts;
    private readonly bool[] _added;
    private readonly Dictionary<int, int> _templateIndex;

    /// <summary>Prepares the sums for the images of <paramref name="images"/>, features of <paramref name="dimension"/> floats.</summary>
    public TemplateAggregator(IReadOnlyList<IjbImage> images, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        _dimension = dimension;
        _slotOfImage = new int[images.Count];
        _added = new bool[images.Count];
        var slots = new Dictionary<(int Template, int Media), int>();
        _templateIndex = [];
        var templateOfSlot = new List<int>();
        for (int i = 0; i < images.Count; i++)
        {
            var key = (images[i].Template, images[i].Media);
            if (!slots.TryGetValue(key, out int slot))
            {
                slot = slots.Count;
                slots.Add(key, slot);
                if (!_templateIndex.TryGetValue(key.Template, out int t))
                    _templateIndex.Add(key.Template, t = _templateIndex.Count);
                templateOfSlot.Add(t);
            }
            _slotOfImage[i] = slot;
        }
        _templateOfSlot = [.. templateOfSlot];
        _sums = new double[(long)slots.Count * dimension];
        _counts = new int[slots.Count];
    }

    /// <summary>Number of distinct templates.</summary>
    public int TemplateCount => _templateIndex.Count;

    /// <summary>Number of distinct (template, media) groups.</summary>
    public int MediaCount => _counts.Length;

    /// <summary>Adds the feature of image <paramref name="image"/> (its index in the image list); each image once.</summary>
    public void Add(int image, ReadOnlySpan<float> feature)
    {
        if (feature.Length != _dimension) throw new ArgumentException($"feature holds {feature.Length} floats, expected {_dimension}");
        if (_added[image]) throw new InvalidOperationException($"image {image} was added twice");
        _added[image] = true;
        int slot = _slotOfImage[image];
        var sum = _sums.AsSpan(slot * _dimension, _dimension);
        for (int i = 0; i < _dimension; i++) sum[i] += feature[i];
        _counts[slot]++;
    }

    /// <summary>Whether image <paramref name="image"/> has been added.</summary>
    public bool Contains(int image) => _added[image];

    /// <summary>
    /// The L2-normalised feature of every template (row t of the result for the template whose id maps to t in
    /// <paramref name="templateIndex"/>). Media without an added image are left out of their template.
    /// </summary>
    public float[] TemplateFeatures(out IReadOnlyDictionary<int, int> templateIndex)
    {
        var templates = new double[(long)_templateIndex.Count * _dimension];
        for (int slot = 0; slot < _counts.Length; slot++)
        {
            if (_counts[slot] == 0) continue;
            var sum = _sums.AsSpan(slot * _dimension, _dimension);
            var target = templates.AsSpan(_templateOfSlot[slot] * _dimension, _dimension);
            for (int i = 0; i < _dimension; i++) target[i] += sum[i] / _counts[slot];
        }
        var result = new float[templates.Length];
        for (int i = 0; i < templates.Length; i++) result[i] = (float)templates[i];
        for (int t = 0; t < _templateIndex.Count; t++) Embedding.Normalize(result.AsSpan(t * _dimension, _dimension));
        templateIndex = _templateIndex;
        return result;
    }
}
