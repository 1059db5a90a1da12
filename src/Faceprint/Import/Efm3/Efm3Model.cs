using Faceprint.Core.Graph;
using Faceprint.Core.Weights;
using Faceprint.Models;
using Faceprint.Models.MobileFaceNet;

namespace Faceprint.Import.Efm3;

/// <summary>
/// A FaceX MobileFaceNet in train form (what an EFM3 file holds): the architecture header and every conv with
/// its BatchNorm statistics. <see cref="ToModelFile"/> folds BN into the engine's deploy form.
/// </summary>
public sealed class Efm3Model
{
    /// <summary>Creates a model; the convs must be exactly those the header implies, in file order.</summary>
    public Efm3Model(Efm3Header header, IReadOnlyList<Efm3Conv> convs)
    {
        Config = header.ToConfig();
        var expected = Efm3Layout.Convs(Config);
        if (convs.Count != expected.Count)
            throw new ArgumentException($"EFM3 model: {convs.Count} convs given, the header implies {expected.Count}");
        for (int i = 0; i < convs.Count; i++)
        {
            var c = convs[i];
            if (c.Spec != expected[i]) throw new ArgumentException($"EFM3 model: conv #{i} is {c.Spec}, the header implies {expected[i]}");
            int o = c.Spec.OutChannels;
            bool slopeFits = c.Slope is null ? !c.Spec.HasPRelu : c.Spec.HasPRelu && c.Slope.Length == o;
            if (c.Weight.Length != c.Spec.WeightCount || c.Gamma.Length != o || c.Beta.Length != o || c.RunningMean.Length != o
                || c.RunningVar.Length != o || !slopeFits)
                throw new ArgumentException($"EFM3 model: tensors of {c.Spec.Name} do not fit its kernel {NamedTensor.Format(c.Spec.WeightShape)}");
        }
        Header = header;
        Convs = convs;
    }

    /// <summary>The architecture header.</summary>
    public Efm3Header Header { get; }

    /// <summary>The MobileFaceNet configuration the header describes.</summary>
    public MobileFaceNetConfig Config { get; }

    /// <summary>Convs in file order.</summary>
    public IReadOnlyList<Efm3Conv> Convs { get; }

    /// <summary>The engine's model file (BN folded with ε = 1e-5; names as <see cref="MobileFaceNetDefinition"/> expects).</summary>
    public ModelFile ToModelFile(IReadOnlyDictionary<string, string>? metadata = null)
    {
        var tensors = new List<NamedTensor>();
        foreach (var conv in Convs)
        {
            var (weight, bias) = conv.Fold();
            tensors.Add(new NamedTensor(conv.Spec.Name + ".weight", conv.Spec.WeightShape, weight));
            tensors.Add(new NamedTensor(conv.Spec.Name + ".bias", [conv.Spec.OutChannels], bias));
            if (conv.Slope is not null) tensors.Add(new NamedTensor(conv.Spec.Name + ".alpha", [conv.Spec.OutChannels], (float[])conv.Slope.Clone()));
        }
        return new ModelFile(MobileFaceNetDefinition.Family, ModelFamilies.ToJson(Config), tensors, metadata);
    }

    /// <summary>The inference network (deploy form).</summary>
    public Network Build() => ModelFamilies.Build(ToModelFile());

    /// <summary>
    /// A model of <paramref name="config"/>'s shape with seeded random weights and non-trivial BN statistics, scaled
    /// so activations stay of order one through the depth (for tests and benchmarks; it recognises nobody).
    /// </summary>
    public static Efm3Model Random(MobileFaceNetConfig config, int seed)
    {
        var header = Efm3Header.FromConfig(config);
        var random = new Random(seed);
        var convs = new List<Efm3Conv>();
        foreach (var spec in Efm3Layout.Convs(header.ToConfig()))
        {
            int o = spec.OutChannels, fanIn = spec.InPerGroup * spec.Kernel * spec.Kernel;
            // He-style weights; BN stats near their trained ranges. Project convs feed residual sums, so their γ is
            // smaller (as zero-γ initialisation does in training) to keep the sums from growing block after block.
            float std = MathF.Sqrt(2f / fanIn);
            bool project = spec.Name.EndsWith(".project", StringComparison.Ordinal);
            convs.Add(new Efm3Conv(spec,
                Fill(spec.WeightCount, () => Normal(random) * std),
                Fill(o, () => Uniform(random, project ? 0.2f : 0.6f, project ? 0.5f : 1.2f)),
                Fill(o, () => Normal(random) * 0.1f),
                Fill(o, () => Normal(random) * 0.2f),
                Fill(o, () => Uniform(random, 0.5f, 2f)),
                spec.HasPRelu ? Fill(o, () => Uniform(random, 0.05f, 0.35f)) : null));
        }
        return new Efm3Model(header, convs);
    }

    private static float[] Fill(int count, Func<float> next)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = next();
        return values;
    }

    private static float Uniform(Random random, float low, float high) => low + (high - low) * random.NextSingle();

    /// <summary>Box–Muller standard normal.</summary>
    private static float Normal(Random random) =>
        MathF.Sqrt(-2f * MathF.Log(1f - random.NextSingle())) * MathF.Cos(2f * MathF.PI * random.NextSingle());
}
