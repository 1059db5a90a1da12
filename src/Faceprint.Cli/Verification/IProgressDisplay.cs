namespace Faceprint.Cli.Verification;

/// <summary>Shows progress of a long counted job, or not: the choice depends on where stderr goes.</summary>
internal interface IProgressDisplay
{
    /// <summary>Runs <paramref name="work"/>, which calls the given action once per finished item (from any thread).</summary>
    Task RunAsync(string description, int total, Func<Action, Task> work);
}
