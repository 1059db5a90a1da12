using System.Globalization;

namespace Faceprint.Models.Zoo;

/// <summary>
/// A set of embedders used as one (<see cref="Recognition.EnsembleEmbedder"/>), written <c>a+b*0.25+…</c>: member
/// names (<see cref="DefaultMember"/> for the default MobileFaceNet, else a <see cref="ZooModels"/> name), each with an
/// optional weight on its cosine score (default 1). The ensemble's cosine is the weighted mean of the members' cosines.
/// </summary>
public sealed record ZooEnsemble(IReadOnlyList<(string Member, float ScoreWeight)> Members)
{
    /// <summary>Member name of the default pipeline's MobileFaceNet.</summary>
    public const string DefaultMember = "default";

    /// <summary>The canonical spelling, e.g. <c>default*0.75+faceres*0.25</c>.</summary>
    public string Name => string.Join('+', Members.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Member}*{m.ScoreWeight:0.###}")));

    /// <summary>Identity stored with gallery templates.</summary>
    public string EmbedderId => $"ensemble:{Name}";

    /// <summary>
    /// The ensemble <paramref name="spec"/> describes, or null when it names no set (no '+'); throws
    /// <see cref="FaceprintException"/> for an unknown member or a weight that is not a positive number.
    /// </summary>
    public static ZooEnsemble? TryParse(string spec)
    {
        if (!spec.Contains('+')) return null;
        var members = new List<(string, float)>();
        foreach (string part in spec.Split('+'))
        {
            string[] pieces = part.Trim().Split('*');
            string name = pieces[0].Trim().ToLowerInvariant();
            if (name != DefaultMember && ZooModels.Find(name) is null)
                throw new FaceprintException($"'{name}' in model set '{spec}' is neither '{DefaultMember}' nor a zoo model ({string.Join(", ", ZooModels.All.Select(m => m.Name))})");
            float weight = 1f;
            if (pieces.Length > 2 || (pieces.Length == 2 && (!float.TryParse(pieces[1], NumberStyles.Float, CultureInfo.InvariantCulture, out weight) || !(weight > 0) || !float.IsFinite(weight))))
                throw new FaceprintException($"'{part}' in model set '{spec}': a weight must follow '*' and be a positive number");
            if (members.Any(m => m.Item1 == name)) throw new FaceprintException($"'{name}' appears twice in model set '{spec}'");
            members.Add((name, weight));
        }
        return new ZooEnsemble(members);
    }
}
