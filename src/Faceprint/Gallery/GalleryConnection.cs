using Faceprint.Gallery.Postgres;

namespace Faceprint.Gallery;

/// <summary>
/// Opens the gallery store a connection string names, so the CLI and the HTTP service accept the same forms:
/// <list type="bullet">
/// <item><c>sqlite:PATH</c> or a bare file path: a SQLite file (<see cref="SqliteGalleryStore"/>);</item>
/// <item><c>memory:</c>: a gallery that lives only as long as the process (<see cref="InMemoryGalleryStore"/>);</item>
/// <item><c>postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=...</c> (also <c>postgresql://</c>) or
/// <c>pg:Host=...;Database=...</c> (an Npgsql connection string): PostgreSQL with pgvector (<see cref="PgvectorGalleryStore"/>).</item>
/// </list>
/// </summary>
public static class GalleryConnection
{
    private const string SqlitePrefix = "sqlite:";
    private const string MemoryPrefix = "memory:";
    private const string NpgsqlPrefix = "pg:";

    /// <summary>Opens (creating if needed) the store for embeddings of <paramref name="modelId"/>.</summary>
    /// <param name="connection">One of the forms listed on <see cref="GalleryConnection"/>.</param>
    /// <param name="modelId">Identity of the model whose embeddings the store holds.</param>
    /// <param name="dimension">Embedding length of that model.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <exception cref="GalleryConnectionException">The connection string is malformed or names a store this build does not have.</exception>
    /// <exception cref="GalleryException">The store cannot be opened or holds another model's embeddings.</exception>
    public static async Task<IGalleryStore> OpenAsync(string connection, string modelId, int dimension, CancellationToken cancellationToken = default)
    {
        var (kind, target) = Resolve(connection);
        return kind switch
        {
            StoreKind.Memory => new InMemoryGalleryStore(modelId, dimension),
            StoreKind.Postgres => await PgvectorGalleryStore.OpenAsync(target, modelId, dimension, cancellationToken).ConfigureAwait(false),
            _ => await SqliteGalleryStore.OpenAsync(target, modelId, dimension, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>
    /// Opens the store like <see cref="OpenAsync"/> but only if a gallery is already there: for commands that read or
    /// edit a gallery, where a mistyped path must not leave a new, empty one behind.
    /// </summary>
    /// <inheritdoc cref="OpenAsync" path="/param"/>
    /// <exception cref="GalleryNotFoundException">Nothing is there: no SQLite file, no gallery tables in the database, or <c>memory:</c> (which starts empty every time).</exception>
    /// <exception cref="GalleryConnectionException">The connection string is malformed or names a store this build does not have.</exception>
    /// <exception cref="GalleryException">The store cannot be opened or holds another model's embeddings.</exception>
    public static async Task<IGalleryStore> OpenExistingAsync(string connection, string modelId, int dimension, CancellationToken cancellationToken = default)
    {
        if (!await ExistsAsync(connection, cancellationToken).ConfigureAwait(false))
            throw new GalleryNotFoundException(Describe(connection));
        return await OpenAsync(connection, modelId, dimension, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether <paramref name="connection"/> names a gallery that already exists (a SQLite file with the gallery's
    /// tables, or a database with them); <c>memory:</c> never does. Creates nothing.
    /// </summary>
    /// <param name="connection">One of the forms listed on <see cref="GalleryConnection"/>.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <exception cref="GalleryConnectionException">The connection string is malformed or names a store this build does not have.</exception>
    /// <exception cref="GalleryException">The database server cannot be reached.</exception>
    public static async Task<bool> ExistsAsync(string connection, CancellationToken cancellationToken = default)
    {
        var (kind, target) = Resolve(connection);
        return kind switch
        {
            StoreKind.Memory => false,
            StoreKind.Postgres => await PgvectorGalleryStore.ExistsAsync(target, cancellationToken).ConfigureAwait(false),
            _ => await SqliteGalleryStore.ExistsAsync(target, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>Where <paramref name="connection"/> points, for messages: a SQLite file's full path, otherwise the string with any password hidden.</summary>
    public static string Describe(string connection)
    {
        var (kind, target) = Resolve(connection);
        return kind == StoreKind.Sqlite ? Path.GetFullPath(target) : Redact(connection);
    }

    /// <summary>
    /// The connection string with any password replaced by <c>***</c>, for output and logs. Strings that name no
    /// PostgreSQL server come back unchanged.
    /// </summary>
    public static string Redact(string connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return PostgresConnectionString.Redact(connection, NpgsqlPrefix);
    }

    /// <summary>Which store a connection string names and what to open it with (a file path or an Npgsql connection string).</summary>
    private static (StoreKind Kind, string Target) Resolve(string connection)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connection);
        if (connection.StartsWith(MemoryPrefix, StringComparison.OrdinalIgnoreCase))
        {
            if (connection.Length > MemoryPrefix.Length)
                throw new GalleryConnectionException($"'{MemoryPrefix}' takes nothing after the colon");
            return (StoreKind.Memory, "");
        }

        if (PostgresConnectionString.TryParse(connection, NpgsqlPrefix, out var npgsql))
            return (StoreKind.Postgres, npgsql);

        string path = connection.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase) ? connection[SqlitePrefix.Length..] : connection;
        if (HasScheme(path))
            throw new GalleryConnectionException(
                $"unsupported gallery '{path[..path.IndexOf(':', StringComparison.Ordinal)]}:' (this build has {SqlitePrefix}PATH, {MemoryPrefix}, postgres://... and {NpgsqlPrefix}Host=...)");
        if (string.IsNullOrWhiteSpace(path))
            throw new GalleryConnectionException($"'{SqlitePrefix}' needs a file path after the colon");
        return (StoreKind.Sqlite, path);
    }

    private enum StoreKind
    {
        Sqlite,
        Memory,
        Postgres,
    }

    // "redis://..." or "x:..." names some other store; a single letter before ':' is a Windows drive.
    private static bool HasScheme(string text)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 1 && text[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.');
    }
}
