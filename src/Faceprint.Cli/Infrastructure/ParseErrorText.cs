using System.CommandLine.Parsing;
using System.Globalization;
using Faceprint.Cli.Options;

namespace Faceprint.Cli.Infrastructure;

/// <summary>
/// The text of a parse error as the user should read it. System.CommandLine words a value that does not convert in
/// .NET type names ("as expected type 'System.Nullable`1[System.Single]'"); a numeric option says instead what it
/// takes and which value was wrong.
/// </summary>
internal static class ParseErrorText
{
    /// <summary>The message of <paramref name="error"/>, reworded when it is a number that does not parse.</summary>
    public static string Of(ParseError error)
    {
        var option = error.SymbolResult switch
        {
            OptionResult o => o,
            ArgumentResult { Parent: OptionResult o } => o,
            _ => null,
        };
        if (option is null || ValidatorGuard.Converts(option)) return error.Message;
        var type = option.Option.ValueType;
        var element = type.IsArray ? type.GetElementType()! : Nullable.GetUnderlyingType(type) ?? type;
        string? kind = Type.GetTypeCode(element) switch
        {
            TypeCode.Single or TypeCode.Double or TypeCode.Decimal => "a number",
            >= TypeCode.SByte and <= TypeCode.UInt64 => "a whole number",
            _ => null,
        };
        var bad = option.Tokens.FirstOrDefault(t => !Parses(t.Value, kind == "a number"));
        if (kind is null || bad is null) return error.Message;
        string takes = type.IsArray ? $"takes {kind} per value" : $"takes {kind}";
        return $"{option.Option.Name} {takes}, got '{bad.Value}'";
    }

    private static bool Parses(string text, bool fractional) => fractional
        ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
        : long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _);
}
