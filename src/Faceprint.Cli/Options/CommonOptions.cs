using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Faceprint.Cli.Options;

/// <summary>
/// The options several commands share, defined once. Each call returns a fresh instance because a symbol belongs to
/// the command it is added to.
/// </summary>
internal static class CommonOptions
{
    /// <summary>Smallest detector minimum face size the MTCNN pyramid supports (its P-Net cell).</summary>
    public const int MinimumFaceSize = 12;

    /// <summary><c>--json</c>: machine-readable output on stdout.</summary>
    public static Option<bool> Json() => new("--json")
    {
        Description = "Print machine-readable JSON (snake_case keys) to stdout instead of text",
    };

    /// <summary><c>--threads N</c>: worker threads.</summary>
    public static Option<int> Threads()
    {
        var option = new Option<int>("--threads")
        {
            Description = "Threads to use",
            HelpName = "N",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        option.Validators.Add(result => RequireAtLeast(result, 1));
        return option;
    }

    /// <summary><c>--min-face N</c>: detector minimum face size.</summary>
    public static Option<int> MinFace()
    {
        var option = new Option<int>("--min-face")
        {
            Description = "Smallest face side in pixels the detector looks for",
            HelpName = "N",
            DefaultValueFactory = _ => 20,
        };
        option.Validators.Add(result => RequireAtLeast(result, MinimumFaceSize));
        return option;
    }

    /// <summary><c>--home DIR</c>: model cache root.</summary>
    public static Option<string?> Home() => new("--home")
    {
        Description = "Model cache folder (overrides FACEPRINT_HOME; default ~/.cache/faceprint)",
        HelpName = "DIR",
    };

    /// <summary><c>--model FILE|NAME</c>: an embedding model file, a zoo model or a model set instead of the default MobileFaceNet.</summary>
    public static Option<string?> Model() => new("--model")
    {
        Description = "Embedding model instead of the default MobileFaceNet: a file (.fpm, e.g. from 'faceprint export'; no calibrated threshold), "
            + "a zoo model ('faceprint models zoo' lists them; pulled on first use), or a model set such as \"default*0.75+faceres*0.25\" (no calibrated threshold)",
        HelpName = "FILE|NAME",
    };

    /// <summary><c>--threshold X</c>: same/different cosine threshold.</summary>
    public static Option<float?> Threshold(string description)
    {
        var option = new Option<float?>("--threshold") { Description = description, HelpName = "X" };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<float?>() is { } x && !(x >= -1 && x <= 1))
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"--threshold must be a cosine similarity in [-1, 1], got {x}"));
        });
        return option;
    }

    private static void RequireAtLeast(OptionResult result, int minimum)
    {
        int value = result.GetValueOrDefault<int>();
        if (value < minimum)
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{result.Option.Name} must be at least {minimum}, got {value}"));
    }
}
