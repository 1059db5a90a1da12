namespace Faceprint.Models.Zoo;

/// <summary>
/// A named set of embedders used as one (<see cref="Recognition.EnsembleEmbedder"/>): members by name
/// (<see cref="DefaultMember"/> for the default MobileFaceNet, else a <see cref="ZooModels"/> name) with weights, and
/// the threshold calibrated on lfw-dev for the combination.
/// </summary>
public sealed record ZooEnsemble(string Name, IReadOnlyList<(string Member, float Weight)> Members, float Threshold, string Description)
{
    /// <summary>Member name of the default pipeline's MobileFaceNet.</summary>
    public const string DefaultMember = "default";

    /// <summary>Identity stored with gallery templates: the members with their weights.</summary>
    public string EmbedderId =>
        $"{Name}=" + string.Join('+', Members.Select(m => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{m.Weight:0.###}*{m.Member}")));
}
