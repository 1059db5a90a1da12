using Faceprint.Models;
using Faceprint.Models.FaceLiVT;
using Faceprint.Models.MobileFaceNet;
using Faceprint.Models.Vit;
using Faceprint.Training.Models;
using static TorchSharp.torch;

namespace Faceprint.Training.Tests.Models;

/// <summary>The configurations the tests train and export, and a way to give a fresh network a trained-looking state.</summary>
internal static class TestNetworks
{
    // One libtorch thread: on a machine shared with other builds, its spinning worker threads make a 4-face forward
    // pass take seconds instead of milliseconds.
    static TestNetworks() => TorchRuntime.SetThreads(1);

    /// <summary>A ViT small enough for a unit test: 144 tokens of width 64, two blocks.</summary>
    public static VitConfig SmallVit => new() { EmbedDim = 64, Depth = 2, Heads = 4, EmbeddingSize = 32 };

    /// <summary>Family and engine configuration of each test network by name.</summary>
    public static (string Family, System.Text.Json.Nodes.JsonObject Config) Describe(string name) => name switch
    {
        "vit-small-test" => (VitDefinition.Family, ModelFamilies.ToJson(SmallVit)),
        _ => (BuiltInModels.Find(name)!.Family, BuiltInModels.Find(name)!.Config),
    };

    /// <summary>A freshly initialised network (seeded) of the named test configuration.</summary>
    public static FaceBackbone Create(string name)
    {
        manual_seed(7);
        var (family, config) = Describe(name);
        return FaceBackbones.Create(family, config);
    }

    /// <summary>
    /// Moves every parameter away from its initialisation (scales by 1 + 0.2·N(0,1), 1-d tensors also shifted by
    /// 0.1·N(0,1), so BatchNorm γ/β, biases and PReLU slopes are no longer 1/0/0.25) and then runs a few training-mode
    /// batches so the BatchNorm running statistics are no longer 0/1. Leaves the network in eval mode.
    /// </summary>
    public static void GiveTrainedState(FaceBackbone model, int seed = 11)
    {
        manual_seed(seed);
        using (no_grad())
        {
            foreach (var p in model.parameters())
            {
                using var scale = randn_like(p).mul_(0.2).add_(1);
                p.mul_(scale);
                if (p.dim() == 1)
                {
                    using var shift = randn_like(p).mul_(0.1);
                    p.add_(shift);
                }
            }
            model.train();
            for (int pass = 0; pass < 4; pass++)
            {
                using var scope = NewDisposeScope();
                model.forward(rand(4, 3, model.InputSize, model.InputSize).mul_(2).sub_(1));
            }
        }
        model.eval();
    }
}
