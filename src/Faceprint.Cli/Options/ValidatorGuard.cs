using System.CommandLine;
using System.CommandLine.Parsing;

namespace Faceprint.Cli.Options;

/// <summary>
/// Makes every validator of a command tree safe against values that do not convert. System.CommandLine runs an
/// option's validators before it reports a conversion failure, and a validator that reads the value
/// (<c>GetValueOrDefault</c>) then throws instead of letting the parser say "cannot parse 'abc'". Applied once to
/// the root, so options added anywhere (shared helpers or one command's own) are covered without each validator
/// having to remember it.
/// </summary>
internal static class ValidatorGuard
{
    /// <summary>Wraps the validators of <paramref name="command"/>, its options, arguments and subcommands.</summary>
    public static void Apply(Command command)
    {
        foreach (var option in command.Options)
            Wrap(option.Validators, Converts);
        foreach (var argument in command.Arguments)
            Wrap(argument.Validators, Converts);
        // A command validator may read any of the command's values; it runs only when all of them convert.
        Wrap(command.Validators, result => result.Children.All(child => child switch
        {
            OptionResult option => Converts(option),
            ArgumentResult argument => Converts(argument),
            _ => true,
        }));
        foreach (var subcommand in command.Subcommands)
            Apply(subcommand);
    }

    /// <summary>Whether the tokens of <paramref name="result"/> convert to the option's type (the parser reports it when not).</summary>
    public static bool Converts(OptionResult result) => TryConvert(() => result.GetValueOrDefault<object>());

    private static bool Converts(ArgumentResult result) => TryConvert(() => result.GetValueOrDefault<object>());

    private static bool TryConvert(Func<object?> read)
    {
        try
        {
            _ = read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void Wrap<TResult>(IList<Action<TResult>> validators, Func<TResult, bool> converts)
    {
        for (int i = 0; i < validators.Count; i++)
        {
            var inner = validators[i];
            validators[i] = result =>
            {
                if (converts(result)) inner(result);
            };
        }
    }
}
