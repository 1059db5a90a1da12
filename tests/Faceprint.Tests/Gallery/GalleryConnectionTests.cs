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
