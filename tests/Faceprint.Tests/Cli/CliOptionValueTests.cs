using System.CommandLine;
using System.Text.Json;
using Faceprint.Cli;
using Faceprint.Cli.Infrastructure;

namespace Faceprint.Tests.Cli;

/// <summary>
/// Every option of every command that takes a number (or a fixed set of names) fed a value that does not convert:
/// a parse error (exit 2, "faceprint: error:" lines only, naming the option), never an unhandled exception. The
/// cases come from walking the command tree, so an option added later is covered without editing this test.
/// </summary>
public sealed class CliOptionValueTests
{
    private const string Bad = "abc";

    public static TheoryData<string, string> TypedOptions
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var (path, command) in Commands(Root(), []))
                foreach (var option in command.Options.Where(o => NeedsConversion(o.ValueType)))
                    data.Add(string.Join(' ', path), option.Name);
            return data;
        }
    }

    [Fact]
    public void TheWalkFindsTheOptionsTheDefectReportNamed()
    {
        var found = TypedOptions.Select(row => $"{row[0]} {row[1]}").ToHashSet();

        foreach (var expected in new[]
                 {
                     "compare --threshold", "compare --threads", "compare --min-face", "gallery identify --top", "gallery verify --threshold",
                     "eval pairs --threshold", "serve --threshold", "models info --runs",
                 })
            Assert.Contains(expected, found);
    }

    /// <summary><c>bench</c> runs in its own executable (it carries ONNX Runtime); its options get the same guard.</summary>
    [Theory]
    [InlineData("--runs")]
    [InlineData("--threads")]
    [InlineData("--batches")]
    public async Task BenchOptionsThatDoNotConvertAreBadInputOnOneLine(string option)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = await Faceprint.Bench.Cli.BenchCliApp.RunAsync(["bench", option, Bad], stdout, stderr);

        Assert.True(code == 2, stderr.ToString());
        var line = Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("faceprint: error: ", line);
        Assert.Contains(option, line);
        Assert.Contains($"'{Bad}'", line);
    }

    [Theory]
    [MemberData(nameof(TypedOptions))]
    public async Task AValueThatDoesNotConvertIsBadInputOnOneLine(string commandPath, string option)
    {
        var run = await CliRun.StartAsync([.. Arguments(commandPath), option, Bad]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Stdout);
        var line = Assert.Single(run.StderrLines);
        Assert.StartsWith("faceprint: error: ", line);
        Assert.Contains(option, line);
        Assert.Contains($"'{Bad}'", line);
        Assert.DoesNotContain("Exception", run.Stderr);
    }

    [Theory]
    [MemberData(nameof(TypedOptions))]
    public async Task UnderJsonTheSameErrorIsAlsoAJsonObjectOnStdout(string commandPath, string option)
    {
        var command = Find(commandPath);
        if (command.Options.All(o => o.Name != "--json")) return; // the command has no JSON output to speak of

        var run = await CliRun.StartAsync([.. Arguments(commandPath), option, Bad, "--json"]);

        Assert.True(run.ExitCode == 2, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        var error = doc.RootElement.GetProperty("error");
        Assert.Equal("bad_input", error.GetProperty("code").GetString());
        Assert.Equal(2, error.GetProperty("exit_code").GetInt32());
        Assert.Equal(Assert.Single(run.StderrLines), "faceprint: error: " + error.GetProperty("message").GetString());
    }

    /// <summary>The command path, a placeholder for each required argument and option, ready for the option under test.</summary>
    private static List<string> Arguments(string commandPath)
    {
        var command = Find(commandPath);
        var args = new List<string>(commandPath.Split(' '));
        foreach (var argument in command.Arguments.Where(a => a.Arity.MinimumNumberOfValues > 0))
            args.AddRange(Enumerable.Repeat("x", argument.Arity.MinimumNumberOfValues));
        foreach (var required in command.Options.Where(o => o.Required))
            args.AddRange([required.Name, NeedsConversion(required.ValueType) ? "1" : "x"]);
        return args;
    }

    /// <summary>Types whose values the parser converts (and a validator may read): numbers and enums, alone, nullable or in arrays.</summary>
    private static bool NeedsConversion(Type type)
    {
        var element = type.IsArray ? type.GetElementType()! : Nullable.GetUnderlyingType(type) ?? type;
        return element.IsEnum || Type.GetTypeCode(element) is >= TypeCode.SByte and <= TypeCode.Decimal;
    }

    private static RootCommand Root() => CliApp.CreateRootCommand(new CliOutput(TextWriter.Null, TextWriter.Null, errorIsTerminal: false));

    private static Command Find(string commandPath) =>
        commandPath.Split(' ').Aggregate((Command)Root(), (command, name) => command.Subcommands.Single(c => c.Name == name));

    private static IEnumerable<(List<string> Path, Command Command)> Commands(Command command, List<string> path)
    {
        foreach (var sub in command.Subcommands)
        {
            var subPath = new List<string>(path) { sub.Name };
            yield return (subPath, sub);
            foreach (var nested in Commands(sub, subPath))
                yield return nested;
        }
    }
}
