using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;
using Faceprint.Models;
using Faceprint.Models.FaceLiVT;
using Faceprint.Models.Vit;

namespace Faceprint.Tests.Models;

public sealed class TransformerLayerAllocationTests
{
    /// <summary>The layer types the transformer families added; the older conv layers are covered by the kernel rewrite.</summary>
    private static readonly Type[] NewLayers =
    [
        typeof(GeluLayer), typeof(Relu6Layer), typeof(LayerNormLayer), typeof(GroupNormLayer), typeof(MultiHeadAttentionLayer),
        typeof(TokenMixingLayer), typeof(GlobalAveragePoolLayer), typeof(PositionEmbeddingLayer), typeof(BatchNormLayer),
    ];

    [Fact]
    public void SteadyStateRunsOfTheNewLayersAllocateNothing()
    {
        var facelivt = FaceLiVTConfig.Create([16, 32, 48, 64], TokenMixer.Mhla) with { Mixers = [TokenMixer.RepMix, TokenMixer.Mhsa, TokenMixer.Mhla, TokenMixer.Mhla] };
        var vit = new VitConfig { EmbedDim = 32, Depth = 1, Heads = 4, EmbeddingSize = 16 };
        var networks = new[]
        {
            FaceLiVTDefinition.Build(facelivt, RandomWeights.Create(FaceLiVTDefinition.Parameters(facelivt), 1), reparameterize: false),
            VitDefinition.Build(vit, RandomWeights.Create(VitDefinition.Parameters(vit), 1), reparameterize: false),
        };
        var seen = new HashSet<Type>();
        foreach (var network in networks)
        {
            var shapes = network.InferShapes(new TensorShape(2, 112, 112, 3));
            var values = shapes.Select(s => new float[s.Size]).ToArray();
            foreach (var layer in network.Layers.Where(l => NewLayers.Contains(l.GetType())))
            {
                // The args (and the frame behind them) are the test's own allocation: made once, outside the measurement.
                var args = new LayerArgs(values, shapes, layer, 1);
                for (int warm = 0; warm < 2; warm++) layer.Run(args);
                long before = GC.GetAllocatedBytesForCurrentThread();
                layer.Run(args);
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.True(allocated == 0, $"{layer.Name} ({layer.GetType().Name}) allocated {allocated} bytes");
                seen.Add(layer.GetType());
            }
        }
        Assert.Equal(NewLayers.OrderBy(t => t.Name), seen.OrderBy(t => t.Name));
    }
}
