using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Faceprint.Gallery;

/// <summary>
/// A gallery persisted in a SQLite file. Every write is one durable transaction (WAL, synchronous=FULL), and all
/// embeddings are mirrored into an <see cref="InMemoryGalleryStore"/> so searches are exact and never touch disk.
/// Other processes may write to the same file (the CLI while a server runs): every read first asks SQLite whether
/// the file changed (<c>PRAGMA data_version</c>, one cheap query) and, if so, brings the mirror in step, so a
/// removed person never keeps matching. Template ids come from AUTOINCREMENT and are never reused.
/// </summary>
public sealed class SqliteGalleryStore : IGalleryStore
{
    /// <summary>Version of the table layout written by this class; version 1 files (ids could be reused) are migrated on open.</summary>
    public const int SchemaVersion = 2;

    /// <summary>How long a write waits for another connection's write lock before giving up.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(5);

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    private readonly SqliteConnection _connection;
    private readonly InMemoryGalleryStore _cache;
    // Microsoft.Data.Sqlite connections are not thread-safe, and SQLite allows one writer anyway.
    private readonly SemaphoreSlim _writer = new(1, 1);
    // The last PRAGMA data_version seen: it changes when another connection commits to the file.
    private long _dataVersion;
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

        // No pooling: closing the store must release the file so it can be moved or deleted. DefaultTimeout is the
        // driver's own retry on a busy file (30 s unless set), which would otherwise outlast busy_timeout.
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = (int)LockTimeout.TotalSeconds,
        }.ToString();
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, null, FormattableString.Invariant($"PRAGMA busy_timeout = {(int)LockTimeout.TotalMilliseconds}; PRAGMA synchronous = FULL;"), cancellationToken).ConfigureAwait(false);
            await InitialiseAsync(connection, fullPath, modelId, dimension, cancellationToken).ConfigureAwait(false);
            var store = new SqliteGalleryStore(fullPath, connection, cache);
            await store.SyncUnlockedAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch (SqliteException e)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            cache.Dispose();
            throw Failure("open", fullPath, e);
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
        (personId, var normalized) = InMemoryGalleryStore.Prepare(personId, embeddings, Dimension);
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
                // Raises SQLITE_BUSY after the lock timeout instead of failing part-way when another writer holds the file.
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
            throw Failure("add to", Path, e);
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
        if (PersonIds.ValidOrNull(personId) is not { } valid)
            return 0;
        personId = valid;
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
            throw Failure("remove from", Path, e);
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<GalleryPerson>> ListPeopleAsync(CancellationToken cancellationToken = default)
    {
        await SyncAsync(cancellationToken).ConfigureAwait(false);
        return await _cache.ListPeopleAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<GalleryMatch>> SearchAsync(float[] query, int k, CancellationToken cancellationToken = default)
    {
        await SyncAsync(cancellationToken).ConfigureAwait(false);
        return await _cache.SearchAsync(query, k, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<GalleryTemplate>> GetTemplatesAsync(string personId, CancellationToken cancellationToken = default)
    {
        await SyncAsync(cancellationToken).ConfigureAwait(false);
        return await _cache.GetTemplatesAsync(personId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Brings the mirror in step with the file if another connection has committed since the last look.</summary>
    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        await EnterWriterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await SyncUnlockedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e)
        {
            throw Failure("read", Path, e);
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>
    /// The catch-up itself, under the writer lock: when data_version moved, the ids in the file are compared with the
    /// mirror's; rows gone are dropped, rows new are loaded. Ids are never reused, so an id names one row for good.
    /// </summary>
    private async Task SyncUnlockedAsync(CancellationToken cancellationToken)
    {
        long version = await ScalarAsync(_connection, "PRAGMA data_version;", cancellationToken).ConfigureAwait(false);
        if (version == _dataVersion)
            return;

        // One read transaction, so the ids and the rows loaded for them are the same snapshot.
        using var transaction = _connection.BeginTransaction(deferred: true);
        var inFile = new HashSet<long>();
        using (var select = _connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = "SELECT id FROM templates;";
            using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                inFile.Add(reader.GetInt64(0));
        }

        var mirrored = _cache.TemplateIds();
        var gone = new HashSet<long>(mirrored);
        gone.ExceptWith(inFile);
        _cache.RemoveTemplates(gone);
        inFile.ExceptWith(mirrored);
        if (inFile.Count > 0)
            _cache.AddPrepared(await LoadAsync(_connection, transaction, Dimension, inFile.Min(), inFile, cancellationToken).ConfigureAwait(false));
        transaction.Commit();
        _dataVersion = version;
    }

    /// <summary>A gallery failure in one line; a busy file says who is likely to hold it and for how long it waited.</summary>
    private static GalleryException Failure(string what, string path, SqliteException e) => e.SqliteErrorCode is SqliteBusy or SqliteLocked
        ? new GalleryLockedException(
            $"cannot {what} gallery {path}: another connection holds its write lock (another faceprint process writing to the same file, e.g. " +
            $"'gallery enroll' or 'serve'); gave up after {LockTimeout.TotalSeconds:0} s", e)
        : new GalleryStorageException($"cannot {what} gallery {path}: {e.Message.ReplaceLineEndings(" ")}", e);

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

    /// <summary>
    /// Checks the file's metadata and, only when the file is new or of schema version 1, creates or migrates its
    /// tables under the write lock. Opening an up-to-date gallery only reads, so it never waits behind a writer (WAL
    /// readers do not block on it).
    /// </summary>
    private static async Task InitialiseAsync(SqliteConnection connection, string path, string modelId, int dimension, CancellationToken cancellationToken)
    {
        var meta = await ReadMetaAsync(connection, null, cancellationToken).ConfigureAwait(false);
        if (meta is null || meta.Count == 0 || SchemaOf(meta) == 1)
        {
            if (meta is null)
                await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
            using var transaction = connection.BeginTransaction(deferred: false);
            await ExecuteAsync(connection, transaction, $"""
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS templates ({TemplateColumns});
                CREATE INDEX IF NOT EXISTS ix_templates_person ON templates (person);
                """, cancellationToken).ConfigureAwait(false);
            // Read again under the lock: another process may have created or migrated the file meanwhile.
            meta = await ReadMetaAsync(connection, transaction, cancellationToken).ConfigureAwait(false) ?? [];
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

            if (SchemaOf(meta) == 1)
            {
                // Version 1 declared "id INTEGER PRIMARY KEY", which hands a deleted last id out again. SQLite cannot add
                // AUTOINCREMENT to a table, so the rows move to a new one, ids kept, in this one transaction.
                await ExecuteAsync(connection, transaction, $"""
                    CREATE TABLE templates_v2 ({TemplateColumns});
                    INSERT INTO templates_v2 (id, person, embedding, source, created) SELECT id, person, embedding, source, created FROM templates ORDER BY id;
                    DROP TABLE templates;
                    ALTER TABLE templates_v2 RENAME TO templates;
                    CREATE INDEX ix_templates_person ON templates (person);
                    UPDATE meta SET value = '{SchemaVersion}' WHERE key = 'schema_version';
                    """, cancellationToken).ConfigureAwait(false);
                meta["schema_version"] = SchemaVersion.ToString(CultureInfo.InvariantCulture);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (!meta.TryGetValue("model_id", out var storedModel)
            || !meta.TryGetValue("dimension", out var storedDimensionText)
            || !int.TryParse(storedDimensionText, NumberStyles.None, CultureInfo.InvariantCulture, out var storedDimension)
            || SchemaOf(meta) is not { } version)
            throw new GalleryException($"gallery {path} has incomplete metadata; it was not written by Faceprint");
        if (version != SchemaVersion)
            throw new GalleryException($"gallery {path} has schema version {version}; this build reads version {SchemaVersion}");
        if (!string.Equals(storedModel, modelId, StringComparison.Ordinal) || storedDimension != dimension)
            throw new GalleryModelMismatchException(path, storedModel, storedDimension, modelId, dimension);
    }

    // AUTOINCREMENT: SQLite then never hands out an id again, even the largest one after it was deleted.
    private const string TemplateColumns = "id INTEGER PRIMARY KEY AUTOINCREMENT, person TEXT NOT NULL, embedding BLOB NOT NULL, source TEXT, created TEXT";

    /// <summary>The meta table's rows, or null when the file has no meta table yet.</summary>
    private static async Task<Dictionary<string, string>?> ReadMetaAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        using var select = connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta';";
        if (Convert.ToInt64(await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
            return null;
        select.CommandText = "SELECT key, value FROM meta;";
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            meta[reader.GetString(0)] = reader.GetString(1);
        return meta;
    }

    private static int? SchemaOf(Dictionary<string, string> meta) =>
        meta.TryGetValue("schema_version", out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null;

    /// <summary>The rows with id at least <paramref name="fromId"/> that are in <paramref name="wanted"/>, in id order.</summary>
    private static async Task<List<GalleryTemplate>> LoadAsync(SqliteConnection connection, SqliteTransaction transaction, int dimension,
        long fromId, IReadOnlySet<long> wanted, CancellationToken cancellationToken)
    {
        var templates = new List<GalleryTemplate>();
        using var select = connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = "SELECT id, person, embedding, source, created FROM templates WHERE id >= $from ORDER BY id;";
        select.Parameters.AddWithValue("$from", fromId);
        using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = reader.GetInt64(0);
            if (!wanted.Contains(id))
                continue;
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

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
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
