using System.Net;
using System.Net.Sockets;
using Faceprint.Gallery.Postgres;
using Faceprint.Tests.Storage;

namespace Faceprint.Tests.Gallery;

/// <summary>
/// Points FACEPRINT_PG_BIN at an empty folder for real, so it is in the non-parallel
/// <see cref="ProcessEnvironmentCollection"/> (which runs after the PostgreSQL fixture's collection).
/// </summary>
[Collection(nameof(ProcessEnvironmentCollection))]
public sealed class ScratchPostgresServerEnvironmentTests
{
    [Fact]
    public async Task Without_either_backend_the_error_names_both_reasons_and_the_setup_script()
    {
        using var empty = new TempGalleryDirectory();
        var saved = Environment.GetEnvironmentVariable(ScratchPostgresServer.BinDirectoryVariable);
        try
        {
            Environment.SetEnvironmentVariable(ScratchPostgresServer.BinDirectoryVariable, empty.Path);
            var e = await Assert.ThrowsAsync<PostgresUnavailableException>(() => ScratchPostgresServer.StartAsync(empty.Path));
            Assert.Contains($"{Path.Combine(empty.Path, "initdb")} not found", e.Message);
            Assert.Contains($"the PGlite fallback is not installed ({Path.Combine(empty.Path, "node_modules")}", e.Message);
            Assert.Contains("run scripts/setup.sh", e.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(ScratchPostgresServer.BinDirectoryVariable, saved);
        }
    }

    [Fact]
    public async Task Without_pgvector_for_the_system_postgres_the_pglite_fallback_serves_vectors_until_disposed()
    {
        using var empty = new TempGalleryDirectory();
        var saved = Environment.GetEnvironmentVariable(ScratchPostgresServer.BinDirectoryVariable);
        try
        {
            Environment.SetEnvironmentVariable(ScratchPostgresServer.BinDirectoryVariable, empty.Path);
            await using var server = await ScratchPostgresServer.StartAsync(PostgresFixture.PgliteFolder);
            Assert.Equal(ScratchPostgresBackend.Pglite, server.Backend);

            await using var first = await PgvectorGalleryStore.OpenAsync(await server.CreateDatabaseAsync(), "m@1", 3);
            await first.AddAsync("ann", [[1, 0, 0]]);
            Assert.Equal("ann", (await first.SearchAsync([1, 0.1f, 0], 1))[0].PersonId);
            await first.DisposeAsync();

            // PGlite has one database: a new one is that database emptied, so another model may open it.
            await using (var second = await PgvectorGalleryStore.OpenAsync(await server.CreateDatabaseAsync(), "m@2", 4))
                Assert.Empty(await second.ListPeopleAsync());

            await server.DisposeAsync();
            using var client = new TcpClient();
            await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(IPAddress.Loopback, server.Port));
        }
        finally
        {
            Environment.SetEnvironmentVariable(ScratchPostgresServer.BinDirectoryVariable, saved);
        }
    }
}
