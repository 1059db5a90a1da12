using Faceprint.Gallery;

namespace Faceprint.Tests.Gallery;

/// <summary>Eight tasks enrolling and searching at once; afterwards every acknowledged template must be there.</summary>
internal static class GalleryConcurrency
{
    public const int Tasks = 8;
    public const int AddsPerTask = 25;

    public static async Task RunAsync(IGalleryStore store)
    {
        var allIds = await Task.WhenAll(Enumerable.Range(0, Tasks).Select(t => Task.Run(async () =>
        {
            var rng = new Random(t);
            var ids = new List<long>();
            for (var i = 0; i < AddsPerTask; i++)
            {
                ids.AddRange(await store.AddAsync($"t{t}-p{i % 5}", [GalleryReference.Random(rng, store.Dimension), GalleryReference.Random(rng, store.Dimension)]));
                var matches = await store.SearchAsync(GalleryReference.Random(rng, store.Dimension), 3);
                Assert.InRange(matches.Count, 1, 3);
            }

            return ids;
        })));

        var ids = allIds.SelectMany(x => x).ToList();
        Assert.Equal(Tasks * AddsPerTask * 2, ids.Distinct().Count());
        var people = await store.ListPeopleAsync();
        Assert.Equal(Tasks * 5, people.Count);
        Assert.All(people, p => Assert.Equal(AddsPerTask / 5 * 2, p.TemplateCount));
    }
}
