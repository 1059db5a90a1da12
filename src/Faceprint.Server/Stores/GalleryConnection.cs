using Faceprint.Gallery;
using Faceprint.Server.Configuration;

namespace Faceprint.Server.Stores;

/// <summary>
/// Opens the gallery store a connection string names: <c>sqlite:PATH</c> or a bare file path for a SQLite file,
/// <c>memory:</c> for a gallery that lives only as long as the process.
/// </summary>
public static class GalleryConnection
{
    private const string SqlitePrefix = "sqlite:";
    private const string MemoryPrefix = "memory:";

    /// <summary>Opens (creating if needed) the store for embeddings of <paramref name="modelId"/>.</summary>
    /// <exception cref="ServerConfigurationException">The connection string names a store this build does not have.</exception>
    /// <exception cref="GalleryException">The store cannot be opened or holds another model's embeddings.</exception>
    public static async Task<IGalleryStore> OpenAsync(string connection, string modelId, int dimension, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connection);
        if (connection.StartsWith(MemoryPrefix, StringComparison.OrdinalIgnoreCase))
        {
            if (connection.Length > MemoryPrefix.Length)
                throw new ServerConfigurationException($"'{MemoryPrefix}' takes nothing after the colon");
            return new InMemoryGalleryStore(modelId, dimension);
        }

        string path = connection.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase) ? connection[SqlitePrefix.Length..] : connection;
        if (HasScheme(path))
            throw new ServerConfigurationException($"unsupported gallery '{path[..path.IndexOf(':', StringComparison.Ordinal)]}:' (this build has {SqlitePrefix}PATH and {MemoryPrefix})");
        if (string.IsNullOrWhiteSpace(path))
            throw new ServerConfigurationException($"'{SqlitePrefix}' needs a file path after the colon");
        return await SqliteGalleryStore.OpenAsync(path, modelId, dimension, cancellationToken).ConfigureAwait(false);
    }

    // "postgres://..." or "x:..." names some other store; a single letter before ':' is a Windows drive.
    private static bool HasScheme(string text)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 1 && text[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.');
    }
}
