using System.CommandLine;

namespace Faceprint.Cli.Infrastructure;

/// <summary>
/// An executable that runs some of the <c>faceprint</c> commands because they need a large native dependency the
/// recognition commands do not: training (TorchSharp and libtorch) and the engine-vs-ONNX Runtime benchmark. Keeping
/// them apart lets the main executable build, download and run without those; the user still types <c>faceprint …</c>.
/// </summary>
/// <param name="ToolCommand">Its command name as a .NET tool, e.g. <c>faceprint-train</c>.</param>
/// <param name="AssemblyName">Its assembly (and project) name, e.g. <c>Faceprint.Training.Cli</c>.</param>
/// <param name="EnvironmentVariable">The environment variable that may name its apphost or dll.</param>
/// <param name="Commands">The top-level <c>faceprint</c> commands it runs.</param>
internal sealed record CompanionExecutable(string ToolCommand, string AssemblyName, string EnvironmentVariable, IReadOnlyList<string> Commands)
{
    /// <summary><c>train</c> (and <c>train pack</c>) and <c>export</c>: Faceprint.Training.Cli, with TorchSharp.</summary>
    public static readonly CompanionExecutable Training = new("faceprint-train", "Faceprint.Training.Cli", "FACEPRINT_TRAIN", [HandedOverCommands.Train, HandedOverCommands.Export]);

    /// <summary><c>bench</c>: Faceprint.Bench.Cli, with ONNX Runtime as the engine's speed peer.</summary>
    public static readonly CompanionExecutable Bench = new("faceprint-bench", "Faceprint.Bench.Cli", "FACEPRINT_BENCH", [HandedOverCommands.Bench]);

    /// <summary>Every companion.</summary>
    public static IReadOnlyList<CompanionExecutable> All { get; } = [Training, Bench];

    /// <summary>The companion that runs the command <paramref name="args"/> start with, or null when this executable runs it.</summary>
    public static CompanionExecutable? For(IReadOnlyList<string> args) =>
        args.Count == 0 ? null : All.FirstOrDefault(c => c.Commands.Contains(args[0]));

    /// <summary>The root help's entry for a handed-over command; running it never reaches this entry (see <see cref="For"/>).</summary>
    public Command HelpEntry(string command, string description) => new(command, $"{description} (runs {ToolCommand})");

    /// <summary>Where it is: <see cref="EnvironmentVariable"/>, else its dll next to this assembly, else <see cref="ToolCommand"/> on PATH; null when none is there.</summary>
    public string? Locate() =>
        Locate(Environment.GetEnvironmentVariable(EnvironmentVariable), AppContext.BaseDirectory, Environment.GetEnvironmentVariable("PATH"));

    /// <summary>As <see cref="Locate()"/>, from the given environment.</summary>
    internal string? Locate(string? configured, string baseDirectory, string? searchPath)
    {
        if (!string.IsNullOrEmpty(configured))
            return configured;
        string beside = Path.Combine(baseDirectory, AssemblyName + ".dll");
        if (File.Exists(beside))
            return beside;
        string tool = OperatingSystem.IsWindows() ? ToolCommand + ".exe" : ToolCommand;
        return (searchPath ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, tool))
            .FirstOrDefault(File.Exists);
    }
}
