namespace Faceprint.Gallery;

/// <summary>
/// Total order on search results, best first: higher similarity, then smaller person id (ordinal). A total order
/// makes results deterministic when scores tie, so searches are reproducible and testable.
/// </summary>
internal sealed class MatchOrder : IComparer<GalleryMatch>
{
    /// <summary>Best-first ordering.</summary>
    public static readonly MatchOrder BestFirst = new();

    /// <summary>Worst-first ordering, for the min-heap that keeps the current top k.</summary>
    public static readonly IComparer<GalleryMatch> WorstFirst = Comparer<GalleryMatch>.Create((a, b) => BestFirst.Compare(b, a));

    /// <inheritdoc />
    public int Compare(GalleryMatch? x, GalleryMatch? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return 1;
        if (y is null) return -1;
        var bySimilarity = y.Similarity.CompareTo(x.Similarity);
        return bySimilarity != 0 ? bySimilarity : string.CompareOrdinal(x.PersonId, y.PersonId);
    }
}
