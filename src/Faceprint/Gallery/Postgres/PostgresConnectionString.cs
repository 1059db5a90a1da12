using System.Text.RegularExpressions;
using Npgsql;

namespace Faceprint.Gallery.Postgres;

/// <summary>
/// Turns the PostgreSQL forms of a gallery connection string into an Npgsql connection string: libpq-style URIs
/// (<c>postgres://</c>, <c>postgresql://</c>), which Npgsql itself does not read, and <c>pg:</c> followed by an Npgsql
/// keyword string.
/// </summary>
internal static partial class PostgresConnectionString
{
    private static readonly string[] UriSchemes = ["postgres://", "postgresql://"];

    // libpq query parameters people put in URIs, and the Npgsql keyword for each.
    private static readonly Dictionary<string, string> UriParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["application_name"] = "Application Name",
        ["connect_timeout"] = "Timeout",
        ["options"] = "Options",
        ["target_session_attrs"] = "Target Session Attributes",
    };

    /// <summary>
    /// Whether <paramref name="connection"/> names a PostgreSQL server; if so, its Npgsql connection string.
    /// </summary>
    /// <exception cref="GalleryConnectionException">It names one but is malformed.</exception>
    public static bool TryParse(string connection, string npgsqlPrefix, out string npgsql)
    {
        if (connection.StartsWith(npgsqlPrefix, StringComparison.OrdinalIgnoreCase))
        {
            npgsql = Builder(connection[npgsqlPrefix.Length..]).ConnectionString;
            return true;
        }

        if (UriSchemes.Any(s => connection.StartsWith(s, StringComparison.OrdinalIgnoreCase)))
        {
            npgsql = FromUri(connection).ConnectionString;
            return true;
        }

        npgsql = "";
        return false;
    }

    /// <summary>The connection string with its password, if any, replaced by <c>***</c>.</summary>
    public static string Redact(string connection, string npgsqlPrefix)
    {
        try
        {
            if (connection.StartsWith(npgsqlPrefix, StringComparison.OrdinalIgnoreCase))
            {
                var builder = Builder(connection[npgsqlPrefix.Length..]);
                if (!string.IsNullOrEmpty(builder.Password))
                    builder.Password = "***";
                return npgsqlPrefix + builder.ConnectionString;
            }

            if (UriSchemes.Any(s => connection.StartsWith(s, StringComparison.OrdinalIgnoreCase)))
                return RedactUri(connection);
        }
        catch (GalleryConnectionException)
        {
            // A string too broken to parse is shown as a marker, never as text that might hold a password.
            return "(unparseable PostgreSQL connection string)";
        }

        return connection;
    }

    /// <summary>Reads a libpq URI: <c>postgres://[USER[:PASSWORD]@]HOST[:PORT][/DATABASE][?KEY=VALUE&amp;...]</c>.</summary>
    public static NpgsqlConnectionStringBuilder FromUri(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new GalleryConnectionException("a postgres:// gallery needs a host: postgres://USER:PASSWORD@HOST:PORT/DATABASE");

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host.Trim('[', ']') };
        if (uri.Port > 0)
            builder.Port = uri.Port;
        if (uri.UserInfo.Length > 0)
        {
            int colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        string database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
            builder.Database = database;

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            string value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            Set(builder, UriParameters.GetValueOrDefault(key, key), value, key);
        }

        return builder;
    }

    private static NpgsqlConnectionStringBuilder Builder(string keywords)
    {
        if (string.IsNullOrWhiteSpace(keywords))
            throw new GalleryConnectionException("'pg:' needs an Npgsql connection string after the colon, e.g. pg:Host=localhost;Database=faces");
        try
        {
            return new NpgsqlConnectionStringBuilder(keywords);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            throw new GalleryConnectionException($"bad PostgreSQL connection string: {e.Message}", e);
        }
    }

    private static void Set(NpgsqlConnectionStringBuilder builder, string keyword, string value, string asWritten)
    {
        try
        {
            builder[keyword] = value;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            throw new GalleryConnectionException($"bad PostgreSQL URI parameter '{asWritten}': {e.Message}", e);
        }
    }

    // Textual, not through Uri, so that even a URI too malformed to open is shown without its password.
    private static string RedactUri(string uri)
    {
        int start = uri.IndexOf("://", StringComparison.Ordinal) + 3;
        int end = uri.IndexOfAny(['/', '?'], start);
        if (end < 0)
            end = uri.Length;
        int at = end > start ? uri.LastIndexOf('@', end - 1, end - start) : -1;
        int colon = at < 0 ? -1 : uri.IndexOf(':', start, at - start);
        string redacted = colon < 0 ? uri : string.Concat(uri.AsSpan(0, colon + 1), "***", uri.AsSpan(at));
        return QueryPassword().Replace(redacted, "$1***");
    }

    [GeneratedRegex("([?&]password=)[^&]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QueryPassword();
}
