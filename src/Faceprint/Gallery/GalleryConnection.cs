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
        ArgumentException.ThrowIfNullOrWhiteSpace(connection);
        if (connection.StartsWith(MemoryPrefix, StringComparison.OrdinalIgnoreCase))
        {
            if (connection.Length > MemoryPrefix.Length)
                throw new GalleryConnectionException($"'{MemoryPrefix}' takes nothing after the colon");
            return new InMemoryGalleryStore(modelId, dimension);
        }

        if (PostgresConnectionString.TryParse(connection, NpgsqlPrefix, out var npgsql))
            return await PgvectorGalleryStore.OpenAsync(npgsql, modelId, dimension, cancellationToken).ConfigureAwait(false);

        string path = connection.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase) ? connection[SqlitePrefix.Length..] : connection;
        if (HasScheme(path))
            throw new GalleryConnectionException(
                $"unsupported gallery '{path[..path.IndexOf(':', StringComparison.Ordinal)]}:' (this build has {SqlitePrefix}PATH, {MemoryPrefix}, postgres://... and {NpgsqlPrefix}Host=...)");
        if (string.IsNullOrWhiteSpace(path))
            throw new GalleryConnectionException($"'{SqlitePrefix}' needs a file path after the colon");
        return await SqliteGalleryStore.OpenAsync(path, modelId, dimension, cancellationToken).ConfigureAwait(false);
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

    // "redis://..." or "x:..." names some other store; a single letter before ':' is a Windows drive.
    private static bool HasScheme(string text)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 1 && text[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.');
    }
}
