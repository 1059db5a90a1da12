using Faceprint.Core.Weights;
using Faceprint.Models;
using Faceprint.Models.Zoo;
using Faceprint.Recognition;
using Faceprint.Storage;

namespace Faceprint.Engine;

/// <summary>Resolves a <c>--model</c> name to a zoo embedder or ensemble and loads it, pulling the zoo package only when needed.</summary>
internal static class ZooEmbedders
{
    /// <summary>What a name selects: its identity, calibrated threshold (NaN: none) and weighted members.</summary>
    public sealed record Choice(string Name, string EmbedderId, float Threshold, IReadOnlyList<(string Member, float Weight)> Members);

    /// <summary>The zoo model called <paramref name="name"/> or the model set it spells (<see cref="ZooEnsemble"/>), or null.</summary>
    public static Choice? Find(string name)
    {
        if (ZooModels.Find(name) is { } model) return new Choice(model.Name, model.EmbedderId, model.Threshold, [(model.Name, 1f)]);
        if (ZooEnsemble.TryParse(name) is { } set)
        {
            // Member embeddings are scaled by √w so the ensemble's cosine weights member cosines by w.
            return new Choice(set.Name, set.EmbedderId, float.NaN, [.. set.Members.Select(m => (m.Member, MathF.Sqrt(m.ScoreWeight)))]);
        }
        return null;
    }

    /// <summary>Loads <paramref name="choice"/>'s networks; the default MobileFaceNet comes from <paramref name="paths"/>.</summary>
    public static async Task<IFaceEmbedder> LoadAsync(Choice choice, FaceprintHome home, FaceModelPaths paths, int threads, bool flip,
        IProgress<string>? log, CancellationToken ct)
    {
        string? package = null;
        var members = new List<(IFaceEmbedder, float)>();
        foreach (var (member, weight) in choice.Members)
        {
            if (member == ZooEnsemble.DefaultMember)
            {
                members.Add((FaceEmbedder.FromModelFile(ModelFile.Load(paths.Embedder), EmbedderPrecision.Fp32, threads, flip), weight));
                continue;
            }
            var model = ZooModels.Find(member) ?? throw new ModelFormatException($"ensemble {choice.Name} names unknown member '{member}'");
            package ??= await ZooModels.EnsureAsync(home, log, ct).ConfigureAwait(false);
            members.Add((model.Load(package, threads, flip), weight));
        }
        return members.Count == 1 ? members[0].Item1 : new EnsembleEmbedder(members);
    }
}
