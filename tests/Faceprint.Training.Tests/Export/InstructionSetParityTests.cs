using System.Diagnostics;
using Xunit.Abstractions;

namespace Faceprint.Training.Tests.Export;

/// <summary>
/// The export parity tests and the convolution check again, in a child test run under lower instruction sets: oneDNN
/// reads <c>ONEDNN_MAX_CPU_ISA</c> and the engine <c>FACEPRINT_ISA</c> once per process, so only a fresh process can show
/// that training and export are right on a CPU without AVX-512 (AVX2: oneDNN's jit:avx2 kernels; SSE4.1: its
/// reference-like kernels, which pass the check and stay on) and with the engine's AVX2 and portable kernels. The
/// default instruction set is covered by this run itself.
/// </summary>
public sealed class InstructionSetParityTests(ITestOutputHelper log)
{
    // FaceLiVT-S LA is the export whose stem conv (20 -> 40 channels, 3x3) oneDNN's AVX2/AVX-512 kernels get wrong; the
    // runtime tests check the convolution check itself. The other networks add minutes, not coverage of the ISA paths.
    private const string Filter = "(FullyQualifiedName~ExportParityTests&DisplayName~facelivt-s-la)|FullyQualifiedName~TorchRuntimeTests";

    [Theory]
    [InlineData("AVX2", "avx2")]
    [InlineData("SSE41", "portable")]
    public async Task ExportParityHoldsUnderALowerInstructionSet(string oneDnnIsa, string engineIsa)
    {
        string assembly = typeof(InstructionSetParityTests).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", ["test", assembly, "--filter", Filter])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        start.Environment["ONEDNN_MAX_CPU_ISA"] = oneDnnIsa;
        start.Environment["FACEPRINT_ISA"] = engineIsa;
        using var child = Process.Start(start)!;
        var stderrTask = child.StandardError.ReadToEndAsync();
        string stdout = await child.StandardOutput.ReadToEndAsync();
        string stderr = await stderrTask;
        await child.WaitForExitAsync();
        string summary = string.Join('\n', stdout.Split('\n').Where(l => l.Contains("Passed!") || l.Contains("Failed") || l.Contains("error")));
        log.WriteLine($"ONEDNN_MAX_CPU_ISA={oneDnnIsa} FACEPRINT_ISA={engineIsa}:\n{summary}");
        Assert.True(child.ExitCode == 0, $"child run failed ({child.ExitCode}):\n{stdout}\n{stderr}");
        // One export parity case and five runtime tests: a filter that matched nothing would also exit 0.
        Assert.Contains("Passed:     6", stdout);
    }
}
