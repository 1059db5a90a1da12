namespace Faceprint.Evaluation.Ijb;

/// <summary>A line of an IJB meta file that cannot be read; the message starts with "file:line:".</summary>
public sealed class IjbMetaFormatException : FaceprintException
{
    /// <summary>Creates the error for line <paramref name="line"/> (1-based) of <paramref name="file"/>.</summary>
    public IjbMetaFormatException(string file, int line, string problem) : base($"{file}:{line}: {problem}")
    {
        File = file;
        Line = line;
    }

    /// <summary>The meta file.</summary>
    public string File { get; }

    /// <summary>The 1-based line number.</summary>
    public int Line { get; }
}
