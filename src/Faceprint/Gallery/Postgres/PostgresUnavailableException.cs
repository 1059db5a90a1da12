namespace Faceprint.Gallery.Postgres;

/// <summary>
/// A throwaway PostgreSQL server could not be started here: neither a system PostgreSQL with pgvector nor the PGlite
/// fallback is installed, or the server would not come up. The message says which and what installs it.
/// </summary>
public sealed class PostgresUnavailableException : GalleryException
{
    /// <summary>Creates the error with a one-line message.</summary>
    public PostgresUnavailableException(string message) : base(message) { }

    /// <summary>Creates the error with a one-line message and its cause.</summary>
    public PostgresUnavailableException(string message, Exception inner) : base(message, inner) { }
}
