namespace Faceprint.Cli.Output;

/// <summary>JSON printed on stdout by a failed run under <c>--json</c>: <c>{"error": {...}}</c>.</summary>
internal sealed record ErrorReport(ErrorJson Error);

/// <summary>
/// What went wrong: <paramref name="Code"/> names the exit code's class (<c>bad_input</c>, <c>model_problem</c>,
/// <c>failure</c>, <c>internal_error</c>), <paramref name="ExitCode"/> is the process exit code, and
/// <paramref name="Message"/> is the stderr line without its prefix.
/// </summary>
internal sealed record ErrorJson(string Code, int ExitCode, string Message);
