using System.CommandLine;
using System.Globalization;

namespace Faceprint.Cli.Options;

/// <summary>Options the gallery commands share besides <c>--db</c>; each call returns a fresh instance.</summary>
internal static class GalleryOptions
{
    /// <summary>Candidates <c>identify</c> lists unless told otherwise.</summary>
    public const int DefaultTop = 5;

    /// <summary><c>--person ID</c>: a non-blank person id.</summary>
    public static Option<string> Person(string description)
    {
        var option = new Option<string>("--person") { Description = description, HelpName = "ID", Required = true };
        option.Validators.Add(result =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>()))
                result.AddError("--person must not be empty");
        });
        return option;
    }

    /// <summary><c>--top K</c>: how many candidates to list.</summary>
    public static Option<int> Top()
    {
        var option = new Option<int>("--top") { Description = "How many people to list at most", HelpName = "K", DefaultValueFactory = _ => DefaultTop };
        option.Validators.Add(result =>
        {
            int k = result.GetValueOrDefault<int>();
            if (k < 1)
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"--top must be at least 1, got {k}"));
        });
        return option;
    }
}
