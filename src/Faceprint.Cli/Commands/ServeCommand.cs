using System.CommandLine;
using Faceprint.Cli.Infrastructure;
using Faceprint.Cli.Options;
using Faceprint.Server;
using Faceprint.Server.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Faceprint.Cli.Commands;

/// <summary>
/// <c>faceprint serve</c>: the HTTP service (see <see cref="FaceprintServer"/>) until Ctrl+C or SIGTERM, which stop
/// taking requests and let in-flight ones finish.
/// </summary>
internal sealed class ServeCommand
{
    private const string DefaultUrl = "http://127.0.0.1:8080";
    private const string DefaultDatabase = "faceprint-gallery.db";

    private readonly CliOutput _output;
    private readonly Option<string> _urls = new("--urls")
    {
        Description = $"Addresses to listen on, separated by ';' (port 0 picks a free one; default {DefaultUrl})",
        HelpName = "URLS",
        DefaultValueFactory = _ => DefaultUrl,
    };
    private readonly Option<string?> _db = new("--db")
    {
        Description = $"SQLite gallery file, created if missing (default: {DefaultDatabase} in the current folder)",
        HelpName = "FILE",
    };
    private readonly Option<string?> _gallery = new("--gallery")
    {
        Description = "Gallery as a connection string instead of --db: sqlite:PATH, postgres://USER:PASSWORD@HOST:PORT/DB, pg:Host=...;Database=... or memory:",
        HelpName = "CONNECTION",
    };
    private readonly Option<string?> _config = new("--config")
    {
        Description = $"JSON config: api_keys, rate_limit, max_request_bytes, max_image_pixels, gallery, ... (keys may also come from {ServerConfigFile.ApiKeysVariable}=\"id:key;...\")",
        HelpName = "FILE",
    };
    private readonly EngineSettings _engine;

    private ServeCommand(Command command, CliOutput output)
    {
        _output = output;
        command.Add(_urls);
        command.Add(_db);
        command.Add(_gallery);
        command.Add(_config);
        _engine = new EngineSettings(command, "Default cosine threshold for compare, identify and verify (default: the model's)", precision: true);
        command.Validators.Add(result =>
        {
            if (result.GetResult(_db) is not null && result.GetResult(_gallery) is not null)
                result.AddError("--db and --gallery both name the gallery; pass one");
        });
        command.SetAction(RunAsync);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(CliOutput output)
    {
        var command = new Command("serve", "Run the HTTP service: detect, embed, compare and a gallery (identify, verify) over JSON, with API keys");
        _ = new ServeCommand(command, output);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var options = await ReadOptionsAsync(parse, ct);
        using var engine = await EngineLoader.CreateAsync(options.Engine, _output, ct);
        WebApplication app;
        try
        {
            app = await FaceprintServer.BuildAsync(options, engine, cancellationToken: ct);
        }
        catch (ServerConfigurationException e)
        {
            throw new CliException(e.Message, ExitCodes.BadInput, e);
        }

        await using (app)
        {
            await app.StartAsync(ct);
            // Returns on Ctrl+C/SIGTERM (the host's own handler, or the cancelled token) once requests have drained.
            await app.WaitForShutdownAsync(ct);
        }

        return ExitCodes.Success;
    }

    private async Task<FaceprintServerOptions> ReadOptionsAsync(ParseResult parse, CancellationToken ct)
    {
        var options = new FaceprintServerOptions
        {
            Urls = parse.GetRequiredValue(_urls).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Gallery = DefaultDatabase,
            Engine = _engine.Read(parse),
        };
        try
        {
            options = await ServerConfigFile.ApplyAsync(options, parse.GetValue(_config), Environment.GetEnvironmentVariable, ct);
            options.Validate();
        }
        catch (ServerConfigurationException e)
        {
            throw new CliException(e.Message, ExitCodes.BadInput, e);
        }

        if (parse.GetValue(_db) is { } db)
            return options with { Gallery = "sqlite:" + db };
        if (parse.GetValue(_gallery) is { } gallery)
            return options with { Gallery = gallery };
        // Nobody asked for this file: say where it is before it appears in whatever folder the service was started from.
        if (options.Gallery == DefaultDatabase)
            _output.Error.WriteLine($"faceprint: no --db or --gallery given: using {Path.GetFullPath(DefaultDatabase)} (created if missing)");
        return options;
    }
}
