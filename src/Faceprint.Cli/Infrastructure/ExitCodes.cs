namespace Faceprint.Cli.Infrastructure;

/// <summary>Process exit codes of the CLI; listed in the root --help so scripts can rely on them.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>Any other failure: I/O error, cancellation, evaluation impossible.</summary>
    public const int Failure = 1;

    /// <summary>Bad input: bad arguments, an unreadable image, no face where one is needed.</summary>
    public const int BadInput = 2;

    /// <summary>Model problem: the models cannot be pulled or converted, or a model file is corrupt.</summary>
    public const int ModelProblem = 3;

    /// <summary>The snake_case name of <paramref name="exitCode"/> in the JSON error object (<c>--json</c>).</summary>
    public static string Name(int exitCode) => exitCode switch
    {
        Success => "success",
        BadInput => "bad_input",
        ModelProblem => "model_problem",
        _ => "failure",
    };

    /// <summary>The exit-code table as shown in --help.</summary>
    public const string HelpText =
        """
        Exit codes:
          0  success
          1  other failure (I/O error, cancelled, evaluation impossible)
          2  bad input (bad arguments, missing or unreadable image, no face where one is needed,
             unknown person, malformed gallery connection, no gallery there, gallery made for another model,
             a face judged not live with --require-live)
          3  model problem (models cannot be pulled or converted, corrupt model file)
        """;
}
