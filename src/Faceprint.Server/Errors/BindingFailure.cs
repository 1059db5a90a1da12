using System.Text.RegularExpressions;

namespace Faceprint.Server.Errors;

/// <summary>
/// Rewrites ASP.NET's parameter binding failures ("Failed to bind parameter "Nullable&lt;int&gt; k" from "abc".") in
/// the service's own words, without .NET type names.
/// </summary>
internal static partial class BindingFailure
{
    /// <summary>A one-line detail naming the parameter and the value refused; other messages pass unchanged.</summary>
    public static string Describe(string message)
    {
        var match = Pattern().Match(message);
        if (!match.Success)
            return message;
        string type = match.Groups["type"].Value, name = match.Groups["name"].Value, value = match.Groups["value"].Value;
        string expected = type switch
        {
            _ when type.Contains("int", StringComparison.OrdinalIgnoreCase) || type.Contains("long", StringComparison.OrdinalIgnoreCase) => "a whole number",
            _ when type.Contains("float", StringComparison.OrdinalIgnoreCase) || type.Contains("double", StringComparison.OrdinalIgnoreCase)
                || type.Contains("single", StringComparison.OrdinalIgnoreCase) => "a number",
            _ when type.Contains("bool", StringComparison.OrdinalIgnoreCase) => "true or false",
            _ => "a valid value",
        };
        if (value.Length > 40)
            value = value[..40] + "…";
        return $"parameter '{name}' must be {expected}, got '{value}'";
    }

    [GeneratedRegex("^Failed to bind parameter \"(?<type>.+) (?<name>[^ \"]+)\" from \"(?<value>.*)\"\\.?$", RegexOptions.Singleline)]
    private static partial Regex Pattern();
}
