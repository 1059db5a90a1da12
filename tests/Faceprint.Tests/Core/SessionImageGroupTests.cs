using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;
using Faceprint.Models;
using Faceprint.Models.MobileFaceNet;
using Faceprint.Models.Vit;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Core;

/// <summary>
/// A batch run image by image through a network whose layers before the head hold more weights than stay cached
/// (the ViTs) goes through those layers in small groups of images: same bits as one image at a time, nothing allocated
/// once warm, and the profile still counts images.
/// </summary>
public sealed class SessionImageGroupTests
{
    // 49 tokens of width 384 over 5 blocks: 8.8 M weights before the head (past the grouping mark), a 7.2 M-weight head
    // (a batched tail), and 49×1536 values per image in the MLP (image by image).
    private static readonly VitConfig HeavyBody = new() { PatchSize = 16, EmbedDim = 384, Depth = 5, Heads = 6, EmbeddingSize = 16 };

    private static readonly Lazy<Network> Vit = new(() => VitDefinition.Build(HeavyBody, RandomWeights.Create(VitDefinition.Parameters(HeavyBody), 11)));

    private static readonly TensorShape Batch = new(5, 112, 112, 3);

    private static float[] Run(InferenceSession session, float[] input, TensorShape shape)
    {
        input.CopyTo(session.PrepareInput(shape));
        session.Run();
        return session.Output(0).ToArray();
    }

    [Theory]
    [InlineData(1, int.MaxValue, 5)]
    [InlineData(1, 2, 2)]
    [InlineData(2, int.MaxValue, 1)]
    public void AWeightHeavyBodyRunsImagesInGroupsWithTheSameBitsAsOneAtATime(int threads, int maxGroup, int expectedGroup)
    {
        var input = CoreReference.RandomFloats(new Random(12), Batch.Size);
        var grouped = new InferenceSession(Vit.Value, threads) { MaxGroupImages = maxGroup };
        // Largest value 49·1536 floats: up to 8 images a group on one thread; several workers take one image each.
        Assert.Equal(expectedGroup, grouped.GroupImages(Batch));
        var oneByOne = new InferenceSession(Vit.Value, threads) { MaxGroupImages = 1 };
        Assert.Equal(1, oneByOne.GroupImages(Batch));
        Assert.Equal(Run(oneByOne, input, Batch), Run(grouped, input, Batch));
    }

    [Fact]
    public void CnnsAndSingleImagesStayOneImageAtATime()
    {
        // MobileFaceNet's 1 M weights stay cached from image to image: grouping would only outgrow the caches.
        var cnn = new InferenceSession(RandomNetworks.MobileFaceNet(MobileFaceNetConfig.FaceXNano), 1);
        Assert.Equal(1, cnn.GroupImages(new TensorShape(4, 112, 112, 3)));
        Assert.Equal(1, new InferenceSession(Vit.Value, 1).GroupImages(Batch with { N = 1 }));
    }

    [Fact]
    public void GroupedBatchesAllocateNothingOnceWarm()
    {
        var session = new InferenceSession(Vit.Value, 1);
        Assert.True(session.GroupImages(Batch) > 1);
        CoreReference.RandomFloats(new Random(3), Batch.Size).CopyTo(session.PrepareInput(Batch));
        Assert.Equal(0, SessionRuns.AllocatedBytes(session, Batch, warmUp: 20));
    }

    [Fact]
    public void AProfileCountsEveryImageOfAGroupAsARunWithPerImageMacs()
    {
        var session = new InferenceSession(Vit.Value, 1) { MaxGroupImages = 2 };
        CoreReference.RandomFloats(new Random(4), Batch.Size).CopyTo(session.PrepareInput(Batch));
        var profile = session.StartProfiling();
        session.Run();
        session.StopProfiling();
        Assert.Equal(Batch.N, profile.Runs);
        Assert.Equal(Vit.Value.CountMacs(Batch with { N = 1 }), profile.Layers().Sum(l => l.Macs));
    }
}
