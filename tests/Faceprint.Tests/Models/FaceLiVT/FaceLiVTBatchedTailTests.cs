using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;
using Faceprint.Models;
using static Faceprint.Tests.Models.ModelTestSupport;

namespace Faceprint.Tests.Models.FaceLiVT;

/// <summary>
/// Reparameterized FaceLiVT-M projects its last FFN after the global pool, a 3 MB linear layer on one row per image:
/// a batch runs it once over every image's row instead of streaming the weights once per image.
/// </summary>
public sealed class FaceLiVTBatchedTailTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void BatchRunsThePooledProjectionOnceWithTheSameBitsAsImageByImage(int threads)
    {
        var model = BuiltInModels.Find("facelivt-m-sa")!;
        var network = model.Build(RandomWeights.Create(model.Parameters, 4));
        var shape = new TensorShape(3, 112, 112, 3);
        var images = RandomImages(shape.N, 112, 6);
        var session = new InferenceSession(network, threads);
        var tail = Assert.IsType<FullyConnectedLayer>(network.Optimized.Layers[session.BatchedTailStart(shape)]);
        Assert.EndsWith(".pw2.c", tail.Name, StringComparison.Ordinal);
        var batched = Run(network, images, shape.N, 112, threads);
        int per = batched.Length / shape.N;
        for (int n = 0; n < shape.N; n++)
        {
            var one = Run(network, images.AsSpan(n * shape.PerImage, shape.PerImage).ToArray(), 1, 112);
            Assert.Equal(one, batched.AsSpan(n * per, per).ToArray());
        }
        // The train form's head (512×512 weights) stays in the images' sessions.
        var train = model.Build(RandomWeights.Create(model.Parameters, 4), reparameterize: false);
        Assert.Equal(train.Optimized.Layers.Count, new InferenceSession(train, threads).BatchedTailStart(shape));
    }
}
