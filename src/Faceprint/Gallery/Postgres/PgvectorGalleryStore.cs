using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Pgvector;
using Pgvector.Npgsql;

namespace Faceprint.Gallery.Postgres;

/// <summary>
/// A gallery in PostgreSQL with pgvector: one row per template (person, <c>vector(D)</c> embedding, source, time)
/// under an HNSW index with cosine distance, the model identity and dimension recorded in a metadata table. Search
/// is approximate (HNSW); the candidates it returns are rescored exactly here, so similarities equal those of the
/// other stores and the same tie rules apply.
/// </summary>
/// <remarks>
/// Several processes may share one database: every enrolment is one transaction, and schema creation is
/// serialised with an advisory lock. Nothing is cached in this process.
/// </remarks>
public sealed class PgvectorGalleryStore : IGalleryStore
{
    /// <summary>Version of the table layout written by this class.</summary>
    public const int SchemaVersion = 1;

    /// <summary>pgvector's HNSW index holds vectors of at most this many dimensions.</summary>
    public const int MaxDimension = 2000;

    /// <summary>Default HNSW candidate list size per search (pgvector's own default is 40).</summary>
    public const int DefaultEfSearch = 400;

    /// <summary>pgvector's upper limit for <c>hnsw.ef_search</c>.</summary>
    public const int MaxEfSearch = 1000;

    // HNSW graph shape: pgvector's default m with twice its default ef_construction, a better-connected graph (higher
    // recall at the same ef_search) for a somewhat slower insert.
    private const int HnswM = 16;
    private const int HnswEfConstruction = 128;
    private const string TemplatesTable = "faceprint_templates";
    private const string MetaTable = "faceprint_gallery_meta";
    // Any fixed number: it only has to be the same in every process that creates the schema.
    private const long SchemaLockKey = 0x46616365_7072696E;
    // Rows fetched per wanted person: a person with several templates near the probe takes several rows.
    private const int RowsPerPerson = 4;
    private const int MinRows = 64;

    private readonly NpgsqlDataSource _dataSource;
    private int _efSearch = DefaultEfSearch;
    private bool _disposed;

    private PgvectorGalleryStore(NpgsqlDataSource dataSource, string name, string modelId, int dimension)
    {
        _dataSource = dataSource;
        Name = name;
        ModelId = modelId;
        Dimension = dimension;
    }

    /// <summary>Where the gallery lives, for messages: host, port and database, never the password.</summary>
    public string Name { get; }

    /// <inheritdoc />
    public string ModelId { get; }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>
    /// HNSW candidate list size of each search (<c>hnsw.ef_search</c>, 1 to 1000): larger finds the true nearest
    /// templates more often and takes longer. Raised per search when k needs more rows.
    /// </summary>
    public int EfSearch
    {
        get => _efSearch;
        set
        {
            if (value is < 1 or > MaxEfSearch)
                throw new GalleryException($"ef_search must be in [1, {MaxEfSearch}], not {value}");
            _efSearch = value;
        }
    }

    /// <summary>
    /// Opens the gallery in the database <paramref name="connectionString"/> names, creating the pgvector extension,
    /// tables and index if missing.
    /// </summary>
    /// <param name="connectionString">An Npgsql connection string (see <see cref="GalleryConnection"/> for URIs).</param>
    /// <param name="modelId">Identity of the model whose embeddings will be stored and searched.</param>
    /// <param name="dimension">Embedding length of that model, at most <see cref="MaxDimension"/>.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <exception cref="GalleryModelMismatchException">The database holds embeddings of another model or dimension.</exception>
    /// <exception cref="GalleryException">The server cannot be reached, pgvector is missing, or the tables are not a Faceprint gallery.</exception>
    public static async Task<PgvectorGalleryStore> OpenAsync(string connectionString, string modelId, int dimension, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        if (string.IsNullOrWhiteSpace(modelId))
            throw new GalleryException("the gallery needs a model id");
        if (dimension is <= 0 or > MaxDimension)
            throw new GalleryException($"embedding dimension must be in [1, {MaxDimension}] for a pgvector gallery, not {dimension}");

        NpgsqlDataSourceBuilder builder;
        try
        {
            builder = new NpgsqlDataSourceBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new GalleryConnectionException($"bad PostgreSQL connection string: {e.Message}", e);
        }

        var settings = builder.ConnectionStringBuilder;
        string name = string.Create(CultureInfo.InvariantCulture, $"postgres {settings.Host}:{settings.Port}/{settings.Database ?? settings.Username}");
        builder.UseVector();
        var dataSource = builder.Build();
        try
        {
            await InitialiseAsync(dataSource, name, modelId, dimension, cancellationToken).ConfigureAwait(false);
            return new PgvectorGalleryStore(dataSource, name, modelId, dimension);
        }
        catch (Exception e)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            if (e is NpgsqlException or InvalidOperationException)
                throw new GalleryException($"cannot open gallery {name}: {Describe(e)}", e);
            throw;
        }
    }

    /// <summary>
    /// Whether the database <paramref name="connectionString"/> names holds a gallery (its metadata table exists).
    /// Looks without creating anything, not even the pgvector extension.
    /// </summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <exception cref="GalleryConnectionException">The connection string is malformed.</exception>
    /// <exception cref="GalleryException">The server cannot be reached.</exception>
    public static async Task<bool> ExistsAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        NpgsqlConnectionStringBuilder settings;
        try
        {
            settings = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new GalleryConnectionException($"bad PostgreSQL connection string: {e.Message}", e);
        }

        string name = string.Create(CultureInfo.InvariantCulture, $"postgres {settings.Host}:{settings.Port}/{settings.Database ?? settings.Username}");
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var query = new NpgsqlCommand($"SELECT to_regclass('{MetaTable}') IS NOT NULL", connection);
            return await query.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            throw new GalleryException($"cannot open gallery {name}: {Describe(e)}", e);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<long>> AddAsync(string personId, IReadOnlyList<float[]> embeddings, string? source = null, CancellationToken cancellationToken = default)
    {
        (personId, var normalized) = InMemoryGalleryStore.Prepare(personId, embeddings, Dimension);
        cancellationToken.ThrowIfCancellationRequested();
        // PostgreSQL keeps microseconds; rounding here makes the stored time the one a later read returns.
        var created = new DateTimeOffset(DateTimeOffset.UtcNow.UtcTicks / 10 * 10, TimeSpan.Zero);

        return await RunAsync("add to", async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var insert = new NpgsqlCommand(
                $"INSERT INTO {TemplatesTable} (person, embedding, source, created) VALUES ($1, $2, $3, $4) RETURNING id", connection, transaction);
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = personId });
            var embedding = new NpgsqlParameter<Vector> { DataTypeName = "vector" };
            insert.Parameters.Add(embedding);
            insert.Parameters.Add(new NpgsqlParameter { Value = (object?)source ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = created, NpgsqlDbType = NpgsqlDbType.TimestampTz });

            var ids = new long[normalized.Length];
            for (var i = 0; i < normalized.Length; i++)
            {
                embedding.TypedValue = new Vector(normalized[i]);
                ids[i] = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            // Disposing without commit rolls back, so a failure or cancellation part-way adds nothing.
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<long>)ids;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<int> RemovePersonAsync(string personId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(personId);
        if (PersonIds.ValidOrNull(personId) is not { } valid)
            return Task.FromResult(0);
        personId = valid;
        return RunAsync("remove from", async connection =>
        {
            await using var delete = new NpgsqlCommand($"DELETE FROM {TemplatesTable} WHERE person = $1", connection);
            delete.Parameters.Add(new NpgsqlParameter<string> { TypedValue = personId });
            return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GalleryPerson>> ListPeopleAsync(CancellationToken cancellationToken = default) =>
        RunAsync("list", async connection =>
        {
            await using var select = new NpgsqlCommand($"SELECT person, count(*) FROM {TemplatesTable} GROUP BY person", connection);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var people = new List<GalleryPerson>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                people.Add(new GalleryPerson(reader.GetString(0), checked((int)reader.GetInt64(1))));
            // Ordinal (UTF-16) order as the interface promises; the database's collation may differ.
            people.Sort((a, b) => string.CompareOrdinal(a.PersonId, b.PersonId));
            return (IReadOnlyList<GalleryPerson>)people;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<GalleryTemplate>> GetTemplatesAsync(string personId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(personId);
        if (PersonIds.ValidOrNull(personId) is not { } valid)
            return Task.FromResult<IReadOnlyList<GalleryTemplate>>([]);
        personId = valid;
        return RunAsync("read", async connection =>
        {
            await using var select = new NpgsqlCommand($"SELECT id, embedding, source, created FROM {TemplatesTable} WHERE person = $1 ORDER BY id", connection);
            select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = personId });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var templates = new List<GalleryTemplate>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                templates.Add(new GalleryTemplate(personId, reader.GetInt64(0), reader.GetFieldValue<Vector>(1).ToArray(),
                    reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
            }

            return (IReadOnlyList<GalleryTemplate>)templates;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<GalleryMatch>> SearchAsync(float[] query, int k, CancellationToken cancellationToken = default)
    {
        if (k <= 0)
            throw new GalleryException($"search needs k >= 1, not {k}");
        var probe = EmbeddingMath.Normalized(query, Dimension, "query embedding");
        cancellationToken.ThrowIfCancellationRequested();
        int rows = (int)Math.Min(Math.Max((long)k * RowsPerPerson, MinRows), MaxEfSearch);
        int efSearch = Math.Max(_efSearch, rows);

        return await RunAsync("search", async connection =>
        {
            // SET LOCAL needs a transaction, and keeps the setting from leaking to the next user of a pooled connection.
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var set = new NpgsqlCommand(string.Create(CultureInfo.InvariantCulture, $"SET LOCAL hnsw.ef_search = {efSearch}"), connection, transaction))
                await set.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

            var best = await NearestAsync(connection, transaction, probe,
                $"SELECT id, person, embedding FROM {TemplatesTable} ORDER BY embedding <=> $1 LIMIT {rows}", cancellationToken).ConfigureAwait(false);
            if (best.Count < k && best.Values.Sum(p => p.Rows) >= rows)
            {
                // Fewer than k people among the rows the index gave, and more rows exist: some people have many
                // templates near the probe. An exact scan, best template per person, settles it.
                best = await NearestAsync(connection, transaction, probe,
                    $"SELECT DISTINCT ON (person) id, person, embedding FROM {TemplatesTable} ORDER BY person, embedding <=> $1, id", cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            var matches = best.Values.Select(p => p.Match).ToList();
            matches.Sort(MatchOrder.BestFirst);
            return (IReadOnlyList<GalleryMatch>)(matches.Count > k ? matches.GetRange(0, k) : matches);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Number of templates in the gallery.</summary>
    public Task<long> CountAsync(CancellationToken cancellationToken = default) =>
        RunAsync("count", async connection =>
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {TemplatesTable}", connection);
            return (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _dataSource.Dispose();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="sql"/> (rows of id, person, embedding) and keeps each person's best template, rescored
    /// exactly with the same arithmetic as the in-memory store; ties go to the smaller template id.
    /// </summary>
    private static async Task<Dictionary<string, (GalleryMatch Match, int Rows)>> NearestAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, float[] probe, string sql, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand(sql, connection, transaction);
        select.Parameters.Add(new NpgsqlParameter<Vector> { TypedValue = new Vector(probe), DataTypeName = "vector" });
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var best = new Dictionary<string, (GalleryMatch Match, int Rows)>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            long id = reader.GetInt64(0);
            string person = reader.GetString(1);
            float similarity = EmbeddingMath.Dot(probe, reader.GetFieldValue<Vector>(2).Memory.Span);
            if (!best.TryGetValue(person, out var current))
            {
                best[person] = (new GalleryMatch(person, id, similarity), 1);
                continue;
            }

            var top = current.Match;
            bool better = similarity > top.Similarity || (similarity == top.Similarity && id < top.TemplateId);
            best[person] = (better ? new GalleryMatch(person, id, similarity) : top, current.Rows + 1);
        }

        return best;
    }

    private async Task<T> RunAsync<T>(string what, Func<NpgsqlConnection, Task<T>> action, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return await action(connection).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException && !cancellationToken.IsCancellationRequested)
        {
            throw new GalleryStorageException($"cannot {what} gallery {Name}: {Describe(e)}", e);
        }
    }

    private static async Task InitialiseAsync(NpgsqlDataSource dataSource, string name, string modelId, int dimension, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            // Two processes opening a new gallery at once must not both create it.
            await ExecuteAsync(connection, transaction, string.Create(CultureInfo.InvariantCulture, $"SELECT pg_advisory_xact_lock({SchemaLockKey})"), cancellationToken).ConfigureAwait(false);
            try
            {
                await ExecuteAsync(connection, transaction, "CREATE EXTENSION IF NOT EXISTS vector", cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedFile or PostgresErrorCodes.FeatureNotSupported)
            {
                throw new GalleryException($"gallery {name}: the pgvector extension is not installed on the server ({e.MessageText})", e);
            }

            await ExecuteAsync(connection, transaction, $"CREATE TABLE IF NOT EXISTS {MetaTable} (key text PRIMARY KEY, value text NOT NULL)", cancellationToken).ConfigureAwait(false);
            var meta = new Dictionary<string, string>(StringComparer.Ordinal);
            await using (var select = new NpgsqlCommand($"SELECT key, value FROM {MetaTable}", connection, transaction))
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    meta[reader.GetString(0)] = reader.GetString(1);
            }

            if (meta.Count == 0)
            {
                await ExecuteAsync(connection, transaction, string.Create(CultureInfo.InvariantCulture, $"""
                    CREATE TABLE {TemplatesTable} (
                        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                        person text NOT NULL,
                        embedding vector({dimension}) NOT NULL,
                        source text,
                        created timestamptz NOT NULL);
                    CREATE INDEX {TemplatesTable}_person ON {TemplatesTable} (person);
                    CREATE INDEX {TemplatesTable}_embedding ON {TemplatesTable} USING hnsw (embedding vector_cosine_ops) WITH (m = {HnswM}, ef_construction = {HnswEfConstruction});
                    """), cancellationToken).ConfigureAwait(false);
                await using var insert = new NpgsqlCommand($"INSERT INTO {MetaTable} (key, value) VALUES ('model_id', $1), ('dimension', $2), ('schema_version', $3)", connection, transaction);
                insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = modelId });
                insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = dimension.ToString(CultureInfo.InvariantCulture) });
                insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = SchemaVersion.ToString(CultureInfo.InvariantCulture) });
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                if (!meta.TryGetValue("model_id", out var storedModel)
                    || !meta.TryGetValue("dimension", out var storedDimensionText)
                    || !int.TryParse(storedDimensionText, NumberStyles.None, CultureInfo.InvariantCulture, out var storedDimension)
                    || !meta.TryGetValue("schema_version", out var versionText)
                    || !int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                    throw new GalleryException($"gallery {name} has incomplete metadata in {MetaTable}; it was not written by Faceprint");
                if (version != SchemaVersion)
                    throw new GalleryException($"gallery {name} has schema version {version}; this build reads version {SchemaVersion}");
                if (!string.Equals(storedModel, modelId, StringComparison.Ordinal) || storedDimension != dimension)
                    throw new GalleryModelMismatchException(name, storedModel, storedDimension, modelId, dimension);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        // The vector type may have been created just now; the data source must learn its type id before using it.
        await connection.ReloadTypesAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Describe(Exception e) =>
        (e is PostgresException pg ? pg.MessageText : e.Message).ReplaceLineEndings(" ");
}
