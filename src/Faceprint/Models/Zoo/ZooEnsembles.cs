namespace Faceprint.Models.Zoo;

/// <summary>Named embedder combinations chosen by the LFW protocol on lfw-dev (see the README's model zoo table).</summary>
public static class ZooEnsembles
{
    /// <summary>All named ensembles.</summary>
    public static IReadOnlyList<ZooEnsemble> All { get; } = [];

    /// <summary>The ensemble called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static ZooEnsemble? Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
}
