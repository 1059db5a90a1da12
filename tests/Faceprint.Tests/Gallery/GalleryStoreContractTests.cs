using Faceprint.Gallery;
using Faceprint.Gallery.Postgres;

namespace Faceprint.Tests.Gallery;

/// <summary>The store contract on the in-memory store.</summary>
public sealed class InMemoryGalleryStoreContractTests : GalleryStoreContract
{
    protected override Task<IGalleryStore> CreateAsync(string modelId, int dimension) =>
        Task.FromResult<IGalleryStore>(new InMemoryGalleryStore(modelId, dimension));
}

/// <summary>The store contract on a SQLite file, one file per test.</summary>
public sealed class SqliteGalleryStoreContractTests : PersistentGalleryStoreContract, IDisposable
{
    private readonly TempGalleryDirectory _folder = new();

    protected override async Task<IGalleryStore> CreateAsync(string modelId, int dimension) =>
        await SqliteGalleryStore.OpenAsync(_folder.File("gallery.db"), modelId, dimension);

    public void Dispose() => _folder.Dispose();
}

/// <summary>The store contract on PostgreSQL with pgvector, one database per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PgvectorGalleryStoreContractTests(PostgresFixture postgres) : PersistentGalleryStoreContract
{
    private string? _database;

    protected override async Task<IGalleryStore> CreateAsync(string modelId, int dimension)
    {
        _database ??= await postgres.CreateDatabaseAsync();
        return await PgvectorGalleryStore.OpenAsync(_database, modelId, dimension);
    }
}
