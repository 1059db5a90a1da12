using Faceprint.Gallery;
using Faceprint.Gallery.Postgres;
using Npgsql;

namespace Faceprint.Tests.Gallery;

public sealed class GalleryConnectionTests
{
    [Fact]
    public async Task Memory_sqlite_and_bare_paths_open_their_stores()
    {
        using var dir = new TempGalleryDirectory();
        await using (var memory = await GalleryConnection.OpenAsync("memory:", "m", 4))
            Assert.IsType<InMemoryGalleryStore>(memory);
        await using (var sqlite = await GalleryConnection.OpenAsync("sqlite:" + dir.File("a.db"), "m", 4))
            Assert.Equal(dir.File("a.db"), Assert.IsType<SqliteGalleryStore>(sqlite).Path);
        await using (var bare = await GalleryConnection.OpenAsync(dir.File("b.db"), "m", 4))
            Assert.IsType<SqliteGalleryStore>(bare);
    }

    [Fact]
    public async Task Opening_an_existing_sqlite_gallery_only_never_creates_one()
    {
        using var dir = new TempGalleryDirectory();
        string path = Path.Combine(dir.File("no-such-folder"), "typo.db");

        Assert.False(await GalleryConnection.ExistsAsync(path));
        var e = await Assert.ThrowsAsync<GalleryNotFoundException>(() => GalleryConnection.OpenExistingAsync("sqlite:" + path, "m", 4));
        Assert.Equal($"no gallery at {path}", e.Message);
        Assert.False(Directory.Exists(Path.GetDirectoryName(path)));

        await using (var created = await GalleryConnection.OpenAsync(path, "m", 4))
            await created.AddAsync("ann", [[1f, 0, 0, 0]]);
        Assert.True(await GalleryConnection.ExistsAsync(path));
        await using var existing = await GalleryConnection.OpenExistingAsync(path, "m", 4);
        Assert.Single(await existing.ListPeopleAsync());
    }

    [Fact]
    public async Task A_sqlite_file_without_the_gallery_tables_is_no_gallery_and_is_left_alone()
    {
        using var dir = new TempGalleryDirectory();
        string path = dir.File("other.db");
        await using (var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=false"))
        {
            await other.OpenAsync();
            await using var create = other.CreateCommand();
            create.CommandText = "CREATE TABLE notes (text TEXT);";
            await create.ExecuteNonQueryAsync();
        }
        byte[] before = await File.ReadAllBytesAsync(path);

        Assert.False(await GalleryConnection.ExistsAsync(path));
        await Assert.ThrowsAsync<GalleryNotFoundException>(() => GalleryConnection.OpenExistingAsync(path, "m", 4));
        Assert.Equal(before, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task A_memory_gallery_never_exists_before_it_is_opened()
    {
        Assert.False(await GalleryConnection.ExistsAsync("memory:"));
        var e = await Assert.ThrowsAsync<GalleryNotFoundException>(() => GalleryConnection.OpenExistingAsync("memory:", "m", 4));
        Assert.Equal("no gallery at memory:", e.Message);
    }

    [Theory]
    [InlineData("redis://host/0", "redis:")]
    [InlineData("memory:x", "nothing after the colon")]
    [InlineData("sqlite:", "file path")]
    [InlineData("pg:", "Npgsql connection string")]
    [InlineData("pg:NoSuchKeyword=1", "bad PostgreSQL connection string")]
    [InlineData("postgres://", "needs a host")]
    [InlineData("postgres://h/db?no_such_option=1", "no_such_option")]
    public async Task Malformed_or_unknown_strings_are_a_connection_error(string connection, string message)
    {
        var e = await Assert.ThrowsAsync<GalleryConnectionException>(() => GalleryConnection.OpenAsync(connection, "m", 4));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Postgres_uris_become_npgsql_settings()
    {
        Assert.True(PostgresConnectionString.TryParse("postgresql://fp%40user:p%3Ass@db.example:6543/faces?sslmode=require&application_name=fp", "pg:", out var text));
        var settings = new NpgsqlConnectionStringBuilder(text);
        Assert.Equal(("db.example", 6543, "faces", "fp@user", "p:ss", SslMode.Require, "fp"),
            (settings.Host, settings.Port, settings.Database, settings.Username, settings.Password, settings.SslMode, settings.ApplicationName));

        Assert.True(PostgresConnectionString.TryParse("postgres://localhost/g", "pg:", out text));
        Assert.Equal(("localhost", NpgsqlConnection.DefaultPort, "g"), (new NpgsqlConnectionStringBuilder(text).Host, new NpgsqlConnectionStringBuilder(text).Port, new NpgsqlConnectionStringBuilder(text).Database));

        Assert.True(PostgresConnectionString.TryParse("pg:Host=h;Port=7;Database=d", "pg:", out text));
        Assert.Equal(7, new NpgsqlConnectionStringBuilder(text).Port);

        Assert.False(PostgresConnectionString.TryParse("gallery.db", "pg:", out _));
    }

    [Theory]
    [InlineData("postgres://u:secret@h:5432/db", "postgres://u:***@h:5432/db")]
    [InlineData("postgresql://u@h/db?password=secret&sslmode=require", "postgresql://u@h/db?password=***&sslmode=require")]
    [InlineData("sqlite:/tmp/g.db", "sqlite:/tmp/g.db")]
    [InlineData("pg:Host=h;Password=secret", "pg:Host=h;Password=***")]
    public void Redact_hides_passwords(string connection, string shown)
    {
        Assert.Equal(shown, GalleryConnection.Redact(connection));
    }
}
