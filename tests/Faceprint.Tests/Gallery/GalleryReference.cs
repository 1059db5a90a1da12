using Faceprint.Gallery;

namespace Faceprint.Tests.Gallery;

/// <summary>Naive top-k search over a store's own templates, the oracle the fast search must equal.</summary>
internal static class GalleryReference
{
    public static async Task<List<GalleryMatch>> SearchAsync(IGalleryStore store, float[] query, int k)
    {
        var probe = query.Select(x => (float)(x / (double)Math.Sqrt(query.Sum(y => (double)y * y)))).ToArray();
        var best = new List<GalleryMatch>();
        foreach (var person in await store.ListPeopleAsync())
        {
            GalleryMatch? top = null;
            foreach (var t in await store.GetTemplatesAsync(person.PersonId))
            {
                var s = EmbeddingMath.Dot(probe, t.Embedding);
                if (top is null || s > top.Similarity || (s == top.Similarity && t.TemplateId < top.TemplateId))
                    top = new GalleryMatch(person.PersonId, t.TemplateId, s);
            }

            if (top is not null)
                best.Add(top);
        }

        return best
            .OrderByDescending(m => m.Similarity)
            .ThenBy(m => m.PersonId, StringComparer.Ordinal)
            .Take(k)
            .ToList();
    }

    public static float[] Random(Random rng, int dimension)
    {
        var v = new float[dimension];
        for (var i = 0; i < dimension; i++)
            v[i] = (float)(rng.NextDouble() * 2 - 1);
        return v;
    }
}
