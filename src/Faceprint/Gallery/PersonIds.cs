using System.Globalization;
using System.Text;

namespace Faceprint.Gallery;

/// <summary>
/// The one rule for person ids, applied by every store (so the CLI, the HTTP service and each backend agree):
/// <list type="bullet">
/// <item>1 to <see cref="MaxLength"/> Unicode characters (scalar values), stored as sent and compared ordinally, code
/// point by code point, in every store: no Unicode normalisation (this build runs with invariant globalization, and a
/// database would not normalise either), so "é" precomposed (NFC) and e + combining accent (NFD) are two different
/// ids. Clients should send NFC, as most keyboards and web forms produce;</item>
/// <item>no control, format, private-use, unassigned or separator-line characters, and no lone surrogates;</item>
/// <item>no leading or trailing white space (spaces inside, as in "Ada Lovelace", are fine), so an id never looks
/// empty or differs from another only by invisible padding;</item>
/// <item>no '/' or '\': an id is one path segment of the service's URLs and must survive every proxy unchanged.</item>
/// </list>
/// </summary>
public static class PersonIds
{
    /// <summary>Most characters (Unicode scalar values) in a person id.</summary>
    public const int MaxLength = 128;

    /// <summary>The rule in one line, for error messages and help texts.</summary>
    public const string Rule = "1 to 128 characters, no leading or trailing space, no control or invisible characters, no '/' or '\\'";

    /// <summary>The id itself when it keeps the rule (ids are stored as sent).</summary>
    /// <exception cref="InvalidPersonIdException">The id breaks the rule.</exception>
    public static string Validate(string? personId)
    {
        if (personId is null || personId.Length == 0)
            throw new InvalidPersonIdException("person id must not be empty");

        int length = 0;
        foreach (var status in EnumerateChecked(personId))
        {
            if (status is { } problem)
                throw new InvalidPersonIdException($"person id {Shown(personId)} {problem}; ids are {Rule}");
            length++;
        }

        if (length > MaxLength)
            throw new InvalidPersonIdException($"person id is {length} characters long; ids are {Rule}");
        if (Rune.IsWhiteSpace(Rune.GetRuneAt(personId, 0)) || IsWhiteSpaceAtEnd(personId))
            throw new InvalidPersonIdException($"person id {Shown(personId)} starts or ends with white space; ids are {Rule}");
        return personId;
    }

    /// <summary>An id to look up: invalid ids name nobody, so they come back as null instead of throwing.</summary>
    public static string? ValidOrNull(string? personId)
    {
        try
        {
            return Validate(personId);
        }
        catch (InvalidPersonIdException)
        {
            return null;
        }
    }

    /// <summary>Yields null per valid character, or a description of the first problem (then stops).</summary>
    private static IEnumerable<string?> EnumerateChecked(string id)
    {
        for (int i = 0; i < id.Length;)
        {
            if (Rune.DecodeFromUtf16(id.AsSpan(i), out var rune, out int used) != System.Buffers.OperationStatus.Done)
            {
                yield return "holds a lone surrogate (not valid Unicode)";
                yield break;
            }

            if (rune.Value is '/' or '\\')
            {
                yield return $"holds '{(char)rune.Value}'";
                yield break;
            }

            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate)
            {
                yield return $"holds U+{rune.Value:X4} ({category})";
                yield break;
            }

            yield return null;
            i += used;
        }
    }

    private static bool IsWhiteSpaceAtEnd(string id) =>
        Rune.DecodeLastFromUtf16(id, out var last, out _) == System.Buffers.OperationStatus.Done && Rune.IsWhiteSpace(last);

    // Quoted, with invisible characters made visible, so the message shows what was actually sent.
    private static string Shown(string id)
    {
        var text = new StringBuilder("'");
        foreach (char c in id.Length > 40 ? id[..40] : id)
            text.Append(char.IsControl(c) || char.IsWhiteSpace(c) && c != ' ' || char.IsSurrogate(c) ? $"\\u{(int)c:X4}" : c.ToString());
        return text.Append(id.Length > 40 ? "…'" : "'").ToString();
    }
}
