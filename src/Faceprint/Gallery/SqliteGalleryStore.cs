using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Faceprint.Gallery;

/// <summary>
/// A gallery persisted in a SQLite file. Every write is one durable transaction (WAL, synchronous=FULL), and all
/// embeddings are mirrored into an <see cref="InMemoryGalleryStore"/> so searches are exact and never touch disk.
/// </summary>
public sealed class SqliteGalleryStore : IGalleryStore
{
    /// <summary>Version of the table layout written by this class.</summary>
    public const int SchemaVersion = 1;

    private readonly SqliteConnection _connection;
    private readonly InMemoryGalleryStore _cache;
    // Microsoft.Data.Sqlite connections are not thread-safe, and SQLite allows one writer anyway.
    private readonly SemaphoreSlim _writer = new(1, 1);
    private bool _disposed;

    private SqliteGalleryStore(string path, SqliteConnection connection, InMemoryGalleryStore cache)
    {
        Path = path;
        _connection = connection;
        _cache = cache;
    }

    /// <summary>Full path of the gallery file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public string ModelId => _cache.ModelId;

    /// <inheritdoc />
    public int Dimension => _cache.Dimension;

    /// <summary>
    /// Opens the gallery at <paramref name="path"/>, creating it for <paramref name="modelId"/> if missing.
    /// </summary>
    /// <param name="path">Gallery file; its folder is created if needed.</param>
    /// <param name="modelId">Identity of the model whose embeddings will be stored and searched.</param>
    /// <param name="dimension">Embedding length of that model.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <exception cref="GalleryModelMismatchException">The file holds embeddings of another model or dimension.</exception>
    /// <exception cref="GalleryException">The file is not a readable gallery.</exception>
    public static async Task<SqliteGalleryStore> OpenAsync(string path, string modelId, int dimension, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var cache = new InMemoryGalleryStore(modelId, dimension);
        var fullPath = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);

        // No pooling: closing the store must release the file so it can be moved or deleted.
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString();
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, null, "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;", cancellationToken).ConfigureAwait(false);
            await InitialiseAsync(connection, fullPath, modelId, dimension, cancellationToken).ConfigureAwait(false);
            cache.AddPrepared(await LoadAsync(connection, dimension, cancellationToken).ConfigureAwait(false));
            return new SqliteGalleryStore(fullPath, connection, cache);
        }
        catch (SqliteException e)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            cache.Dispose();
            throw new GalleryException($"cannot open gallery {fullPath}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            cache.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Whether <paramref name="path"/> holds a gallery: the file exists and has the gallery's metadata table. Looks
    /// without creating or changing anything. A file that exists but is not SQLite counts as present, so that opening
    /// it reports what is wrong with it.
    /// </summary>
    /// <param name="path">Gallery file.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    public static async Task<bool> ExistsAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath)) return false;
        var connectionString = new SqliteConnectionStringBuilder { DataSource = fullPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        await using var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var query = connection.CreateCommand();
            query.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta';";
            return Convert.ToInt64(await query.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
        }
        catch (SqliteException)
        {
            return true;
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<long>> AddAsync(string personId, IReadOnlyList<float[]> embeddings, string? source = null, CancellationToken cancellationToken = default)
    {
        var normalized = InMemoryGalleryStore.Prepare(personId, embeddings, Dimension);
        var created = DateTimeOffset.UtcNow;
        var createdText = created.ToString("O", CultureInfo.InvariantCulture);

        await EnterWriterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var templates = new GalleryTemplate[normalized.Length];
            using (var transaction = _connection.BeginTransaction())
            {
                using var insert = _connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO templates (person, embedding, source, created) VALUES ($person, $embedding, $source, $created) RETURNING id;";
                var person = insert.Parameters.Add("$person", SqliteType.Text);
                var embedding = insert.Parameters.Add("$embedding", SqliteType.Blob);
                var src = insert.Parameters.Add("$source", SqliteType.Text);
                var when = insert.Parameters.Add("$created", SqliteType.Text);
                person.Value = personId;
                src.Value = (object?)source ?? DBNull.Value;
                when.Value = createdText;

                for (var i = 0; i < normalized.Length; i++)
                {
                    embedding.Value = ToBlob(normalized[i]);
                    var id = Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
                    templates[i] = new GalleryTemplate(personId, id, normalized[i], source, created);
                }

                // Disposing without commit rolls back, so a failure part-way adds nothing.
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            // Only after the commit is durable does the cache see the rows.
            _cache.AddPrepared(templates);
            return Array.ConvertAll(templates, t => t.TemplateId);
        }
        catch (SqliteException e)
        {
            throw new GalleryException($"cannot add to gallery {Path}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <inheritdoc />
    public async Task<int> RemovePersonAsync(string personId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(personId);
        await EnterWriterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var delete = _connection.CreateCommand();
            delete.CommandText = "DELETE FROM templates WHERE person = $person;";
            delete.Parameters.AddWithValue("$person", personId);
            var removed = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await _cache.RemovePersonAsync(personId, CancellationToken.None).ConfigureAwait(false);
            return removed;
        }
        catch (SqliteException e)
        {
            throw new GalleryException($"cannot remove from gallery {Path}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GalleryPerson>> ListPeopleAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _cache.ListPeopleAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GalleryMatch>> SearchAsync(float[] query, int k, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _cache.SearchAsync(query, k, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GalleryTemplate>> GetTemplatesAsync(string personId, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _cache.GetTemplatesAsync(personId, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
            return;
        // Wait for an in-flight write so the connection is not closed under it.
        _writer.Wait();
        _disposed = true;
        _connection.Dispose();
        _cache.Dispose();
        _writer.Release();
        _writer.Dispose();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        await _writer.WaitAsync().ConfigureAwait(false);
        _disposed = true;
        await _connection.DisposeAsync().ConfigureAwait(false);
        _cache.Dispose();
        _writer.Release();
        _writer.Dispose();
    }

    private async Task EnterWriterAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_disposed)
        {
            _writer.Release();
            throw new ObjectDisposedException(nameof(SqliteGalleryStore));
        }
    }

    private static async Task InitialiseAsync(SqliteConnection connection, string path, string modelId, int dimension, CancellationToken cancellationToken)
    {
        using var transaction = connection.BeginTransaction();
        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS templates (
                id INTEGER PRIMARY KEY,
                person TEXT NOT NULL,
                embedding BLOB NOT NULL,
                source TEXT,
                created TEXT);
            CREATE INDEX IF NOT EXISTS ix_templates_person ON templates (person);
            """, cancellationToken).ConfigureAwait(false);

        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = "SELECT key, value FROM meta;";
            using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                meta[reader.GetString(0)] = reader.GetString(1);
        }

        if (meta.Count == 0)
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO meta (key, value) VALUES ('model_id', $model), ('dimension', $dimension), ('schema_version', $version);";
            insert.Parameters.AddWithValue("$model", modelId);
            insert.Parameters.AddWithValue("$dimension", dimension.ToString(CultureInfo.InvariantCulture));
            insert.Parameters.AddWithValue("$version", SchemaVersion.ToString(CultureInfo.InvariantCulture));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!meta.TryGetValue("model_id", out var storedModel)
            || !meta.TryGetValue("dimension", out var storedDimensionText)
            || !int.TryParse(storedDimensionText, NumberStyles.None, CultureInfo.InvariantCulture, out var storedDimension)
            || !meta.TryGetValue("schema_version", out var versionText)
            || !int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            throw new GalleryException($"gallery {path} has incomplete metadata; it was not written by Faceprint");
        if (version != SchemaVersion)
            throw new GalleryException($"gallery {path} has schema version {version}; this build reads version {SchemaVersion}");
        if (!string.Equals(storedModel, modelId, StringComparison.Ordinal) || storedDimension != dimension)
            throw new GalleryModelMismatchException(path, storedModel, storedDimension, modelId, dimension);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<GalleryTemplate>> LoadAsync(SqliteConnection connection, int dimension, CancellationToken cancellationToken)
    {
        var templates = new List<GalleryTemplate>();
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT id, person, embedding, source, created FROM templates ORDER BY id;";
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = reader.GetInt64(0);
            var blob = (byte[])reader.GetValue(2);
            if (blob.Length != dimension * sizeof(float))
                throw new GalleryException($"template {id} holds {blob.Length} bytes; expected {dimension * sizeof(float)} for a {dimension}-d embedding");
            var created = reader.IsDBNull(4)
                ? DateTimeOffset.MinValue
                : DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
            templates.Add(new GalleryTemplate(reader.GetString(1), id, FromBlob(blob), reader.IsDBNull(3) ? null : reader.GetString(3), created));
        }

        return templates;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // Stored as fp32 little-endian whatever the host, so gallery files move between machines.
    private static byte[] ToBlob(float[] embedding)
    {
        var bytes = new byte[embedding.Length * sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(embedding.AsSpan()).CopyTo(bytes);
        }
        else
        {
            for (var i = 0; i < embedding.Length; i++)
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), embedding[i]);
        }

        return bytes;
    }

    private static float[] FromBlob(byte[] blob)
    {
        var embedding = new float[blob.Length / sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            blob.AsSpan().CopyTo(MemoryMarshal.AsBytes(embedding.AsSpan()));
        }
        else
        {
            for (var i = 0; i < embedding.Length; i++)
                embedding[i] = BinaryPrimitives.ReadSingleLittleEndian(blob.AsSpan(i * sizeof(float)));
        }

        return embedding;
    }
}
