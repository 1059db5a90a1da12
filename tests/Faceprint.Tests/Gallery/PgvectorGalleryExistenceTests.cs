using Faceprint.Gallery;

namespace Faceprint.Tests.Gallery;

/// <summary>On PostgreSQL "no gallery" means the gallery tables are missing; looking for them creates nothing.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PgvectorGalleryExistenceTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_database_without_the_tables_is_no_gallery_until_one_is_created()
    {
        string connection = "pg:" + await postgres.CreateDatabaseAsync();

        Assert.False(await GalleryConnection.ExistsAsync(connection));
        var e = await Assert.ThrowsAsync<GalleryNotFoundException>(() => GalleryConnection.OpenExistingAsync(connection, "m", 4));
        Assert.StartsWith("no gallery at pg:", e.Message);
        Assert.False(await GalleryConnection.ExistsAsync(connection), "looking must not create the tables");

        await using (var created = await GalleryConnection.OpenAsync(connection, "m", 4))
            await created.AddAsync("ann", [[1f, 0, 0, 0]]);
        Assert.True(await GalleryConnection.ExistsAsync(connection));
        await using var existing = await GalleryConnection.OpenExistingAsync(connection, "m", 4);
        Assert.Single(await existing.ListPeopleAsync());
    }
}
