namespace Faceprint.Training.Data;

/// <summary>
/// MXNet's <c>IRHeader</c> at the start of every InsightFace record: <c>{uint flag, float label, ulong id, ulong id2}</c>,
/// followed on disk by <see cref="Flag"/> extra float labels when the flag is positive.
/// </summary>
/// <param name="Flag">Number of extra labels (0 for a plain image record).</param>
/// <param name="Label">The class label of an image record (ignored by MXNet when extra labels are present).</param>
/// <param name="Id">First record id.</param>
/// <param name="Id2">Second record id.</param>
/// <param name="ExtraLabels">The <see cref="Flag"/> extra labels; empty when the flag is 0.</param>
public sealed record RecordIOHeader(uint Flag, float Label, ulong Id, ulong Id2, IReadOnlyList<float> ExtraLabels)
{
    /// <summary>Bytes of the fixed part of the header.</summary>
    public const int FixedSize = 24;

    /// <summary>A plain image record's header: one label, no extra labels.</summary>
    public static RecordIOHeader ForImage(float label, ulong id) => new(0, label, id, 0, []);

    /// <summary>
    /// The class of an image record. InsightFace packs store it in <see cref="Label"/>; packs written with a label
    /// vector carry it as the first extra label instead.
    /// </summary>
    public int ClassLabel => (int)(Flag > 0 && ExtraLabels.Count > 0 ? ExtraLabels[0] : Label);
}
