namespace Faceprint.Gallery.Postgres;

/// <summary>Which server a <see cref="ScratchPostgresServer"/> runs.</summary>
public enum ScratchPostgresBackend
{
    /// <summary>The machine's own PostgreSQL binaries, with the pgvector extension installed for them.</summary>
    SystemPostgres,

    /// <summary>
    /// PGlite: PostgreSQL compiled to WebAssembly, with pgvector, run by Node.js and served over the PostgreSQL wire
    /// protocol. Single-threaded and one database: fine for tests, slower than native PostgreSQL.
    /// </summary>
    Pglite,
}
