using System.CommandLine;
using Faceprint.Cli.Options;
using Faceprint.Engine;
using Faceprint.Gallery;

namespace Faceprint.Cli.Infrastructure;

/// <summary>
/// The start every 1:1 and 1:N gallery query shares: the photo loaded first (a bad image fails before any model pull),
/// then the engine, the gallery opened for that engine's model, and the photo's subject face embedded.
/// </summary>
internal sealed class GalleryProbe : IAsyncDisposable
{
    private GalleryProbe(FaceEngine engine, IGalleryStore store, EmbeddedFace face)
    {
        Engine = engine;
        Store = store;
        Face = face;
    }

    /// <summary>The engine the probe was embedded with.</summary>
    public FaceEngine Engine { get; }

    /// <summary>The gallery, open for the engine's model.</summary>
    public IGalleryStore Store { get; }

    /// <summary>The photo's subject face and its embedding.</summary>
    public EmbeddedFace Face { get; }

    /// <summary>Loads <paramref name="path"/>, creates the engine, opens the gallery and embeds the subject face.</summary>
    public static async Task<GalleryProbe> OpenAsync(string path, FaceEngineOptions options, GallerySettings gallery, ParseResult parse, CliOutput output, CancellationToken ct)
    {
        var image = await EngineLoader.LoadImageAsync(path, options, ct);
        var engine = await EngineLoader.CreateAsync(options, output, ct);
        IGalleryStore? store = null;
        try
        {
            store = await gallery.OpenExistingAsync(parse, engine, ct);
            var face = engine.EmbedSubject(image, path, ct: ct);
            return new GalleryProbe(engine, store, face);
        }
        catch
        {
            if (store is not null) await store.DisposeAsync();
            engine.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Engine.Dispose();
    }
}
