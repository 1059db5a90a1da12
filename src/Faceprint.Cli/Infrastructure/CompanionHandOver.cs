using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Faceprint.Cli.Infrastructure;

/// <summary>
/// Runs a command in its <see cref="CompanionExecutable"/>: the arguments go over unparsed (<c>--help</c> included) and
/// its exit code becomes ours. From a checkout the <c>./faceprint</c> script starts the companion itself (building it
/// on first use); this hand-over serves installed tools and a directly started Faceprint.Cli.
/// </summary>
internal static class CompanionHandOver
{
    /// <summary>
    /// Runs <paramref name="executable"/> (the companion's apphost or dll, null when not found) with <paramref name="args"/>
    /// and returns its exit code. On this process's own console it inherits the streams, so its progress bar stays live;
    /// otherwise its output is copied to <paramref name="output"/>.
    /// </summary>
    public static async Task<int> RunAsync(CompanionExecutable companion, string? executable, IReadOnlyList<string> args, CliOutput output, CancellationToken ct)
    {
        if (executable is null || !File.Exists(executable))
        {
            output.WriteError(executable is null
                ? $"'faceprint {args[0]}' runs in {companion.ToolCommand}, which was not found: run ./faceprint {args[0]} from a checkout (it builds it), install the tool {companion.AssemblyName} (command {companion.ToolCommand}), or set {companion.EnvironmentVariable} to its path"
                : $"{companion.EnvironmentVariable} names {executable}, which does not exist", ExitCodes.Failure);
            return ExitCodes.Failure;
        }

        bool console = ReferenceEquals(output.Out, Console.Out) && ReferenceEquals(output.Error, Console.Error);
        var start = StartInfo(executable, args);
        start.RedirectStandardOutput = start.RedirectStandardError = !console;
        using var process = Process.Start(start) ?? throw new CliException($"{executable} did not start", ExitCodes.Failure);
        // Ctrl+C reaches the whole foreground process group: the companion stops cleanly (training saves a checkpoint),
        // and this process must outlive it rather than end at once and leave it running behind the shell prompt.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
        Task[] copies = console ? [] : [CopyAsync(process.StandardOutput, output.Out), CopyAsync(process.StandardError, output.Error)];
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        await Task.WhenAll(copies);
        return process.ExitCode;
    }

    private static ProcessStartInfo StartInfo(string executable, IReadOnlyList<string> args)
    {
        bool dll = executable.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        // A dll runs on the dotnet host running us, so both halves share one runtime.
        var start = new ProcessStartInfo(dll ? DotnetHost() : executable) { UseShellExecute = false };
        if (dll)
            start.ArgumentList.Add(executable);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        return start;
    }

    private static string DotnetHost() =>
        Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? host : "dotnet";

    private static async Task CopyAsync(StreamReader from, TextWriter to)
    {
        char[] buffer = new char[4096];
        int read;
        while ((read = await from.ReadAsync(buffer)) > 0)
            await to.WriteAsync(buffer.AsMemory(0, read));
    }
}
