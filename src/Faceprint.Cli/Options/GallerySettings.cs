using System.CommandLine;
using Faceprint.Engine;
using Faceprint.Gallery;

namespace Faceprint.Cli.Options;

/// <summary><c>--db CONNECTION</c> of the gallery commands, and opening the store it names.</summary>
internal sealed class GallerySettings
{
    private readonly Option<string> _db = new("--db")
    {
        Description = "Gallery: a SQLite file (sqlite:PATH or a bare path), postgres://USER:PASSWORD@HOST:PORT/DB, pg:Host=...;Database=... or memory:",
        HelpName = "CONNECTION",
        Required = true,
    };

    /// <summary>Adds <c>--db</c> to <paramref name="command"/>.</summary>
    public GallerySettings(Command command) => command.Add(_db);

    /// <summary>The connection string as given.</summary>
    public string Connection(ParseResult parse) => parse.GetRequiredValue(_db);

    /// <summary>The connection string with any password hidden, for output.</summary>
    public string Shown(ParseResult parse) => GalleryConnection.Redact(Connection(parse));

    /// <summary>Whether the gallery <c>--db</c> names exists already (creates nothing).</summary>
    public Task<bool> ExistsAsync(ParseResult parse, CancellationToken ct) => GalleryConnection.ExistsAsync(Connection(parse), ct);

    /// <summary>
    /// Opens (creating if needed) the gallery for the default model without loading it: creating needs only the
    /// model's identity.
    /// </summary>
    public Task<IGalleryStore> OpenForDefaultModelAsync(ParseResult parse, CancellationToken ct) =>
        GalleryConnection.OpenAsync(Connection(parse), DefaultModels.EmbedderId, DefaultModels.EmbeddingSize, ct);

    /// <summary>
    /// Opens an existing gallery whatever model made it, for commands that never embed (list, remove): a gallery enrolled
    /// with <c>--model NAME</c> must be as easy to list and edit as one of the default model's.
    /// </summary>
    public async Task<IGalleryStore> OpenExistingAnyModelAsync(ParseResult parse, CancellationToken ct)
    {
        try
        {
            return await GalleryConnection.OpenExistingAsync(Connection(parse), DefaultModels.EmbedderId, DefaultModels.EmbeddingSize, ct);
        }
        catch (GalleryModelMismatchException mismatch)
        {
            // The store names the model it holds; reopening for that model is the only way in that cannot mix embeddings.
            return await GalleryConnection.OpenExistingAsync(Connection(parse), mismatch.StoredModelId, mismatch.StoredDimension, ct);
        }
    }

    /// <summary>Opens (creating if needed) the gallery for the embeddings <paramref name="engine"/> makes: enrolment may start a gallery.</summary>
    public Task<IGalleryStore> OpenAsync(ParseResult parse, FaceEngine engine, CancellationToken ct) =>
        GalleryConnection.OpenAsync(Connection(parse), engine.EmbedderId, engine.EmbeddingSize, ct);

    /// <summary>Opens an existing gallery for the embeddings <paramref name="engine"/> makes; "no gallery at …" when there is none.</summary>
    public Task<IGalleryStore> OpenExistingAsync(ParseResult parse, FaceEngine engine, CancellationToken ct) =>
        GalleryConnection.OpenExistingAsync(Connection(parse), engine.EmbedderId, engine.EmbeddingSize, ct);
}
