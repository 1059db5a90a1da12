using Faceprint.Core.Weights;
using Faceprint.Import.Checkpoints;

namespace Faceprint.Tests.Import.Checkpoints;

public sealed class TensorDictionaryTests
{
    private static CheckpointTensor T(string name, params int[] shape) =>
        new(name, shape, TensorElementType.Float32, new float[NamedTensor.Count(shape)]);

    private static readonly ParameterSpec[] Expected =
    [
        new("patch_embedds.0.stem.0.0.conv.weight", [20, 3, 3, 3]),
        new("patch_embedds.0.stem.0.0.conv.bias", [20]),
        new("stages.2.blocks.0.block.0.m.linear1.3.weight", [784, 196]),
        new("head.weight", [512, 320]),
    ];

    [Fact]
    public void MatchingCheckpointBecomesAWeightSetIgnoringBatchNormCounters()
    {
        var dict = new TensorDictionary([.. Expected.Select(s => T(s.Name, s.Shape)), new CheckpointTensor("bn.num_batches_tracked", [], TensorElementType.Int64, [9])]);
        var set = dict.ToWeightSet(Expected, "FaceLiVT-S", TensorDictionary.IsBatchNormCounter);
        Assert.Equal(Expected.Select(s => s.Name).Order(), set.Tensors.Select(t => t.Name).Order());
        Assert.Same(dict["head.weight"].Data, set["head.weight"]);
    }

    [Fact]
    public void EveryMismatchIsReportedInOneError()
    {
        var dict = new TensorDictionary(
        [
            T("patch_embedds.0.stem.0.0.conv.weight", 20, 3, 3, 3),
            T("patch_embedds.0.stem.0.0.conv.bias", 40),                // wrong shape
            T("head.weight", 320, 512),                                  // transposed
            T("head.bias", 512),                                         // unexpected
            T("bn.num_batches_tracked"),                                 // unexpected without an ignore predicate
        ]);
        var message = Assert.Throws<ModelFormatException>(() => dict.ToWeightSet(Expected, "FaceLiVT-S")).Message;
        Assert.StartsWith("weights do not fit FaceLiVT-S: ", message);
        Assert.Contains("patch_embedds.0.stem.0.0.conv.bias has shape [40], expected [20]", message);
        Assert.Contains("missing stages.2.blocks.0.block.0.m.linear1.3.weight[784,196]", message);
        Assert.Contains("head.weight has shape [320,512], expected [512,320]", message);
        Assert.Contains("unexpected head.bias", message);
        Assert.Contains("unexpected bn.num_batches_tracked", message);
    }

    [Fact]
    public void IgnoredNamesStillCountWhenTheDefinitionAsksForThem()
    {
        var spec = new ParameterSpec("bn.num_batches_tracked", [2]);
        var dict = new TensorDictionary([T("bn.num_batches_tracked")]);
        Assert.Contains("bn.num_batches_tracked has shape [], expected [2]",
            Assert.Throws<ModelFormatException>(() => dict.ToWeightSet([spec], "m", TensorDictionary.IsBatchNormCounter)).Message);
    }

    [Fact]
    public void PrefixStrippingKeepsOrderAndRefusesCollisions()
    {
        var dict = new TensorDictionary([T("module.a", 1), T("b", 2), T("module.c", 3)]);
        var stripped = dict.WithoutPrefix("module.");
        Assert.Equal(["a", "b", "c"], stripped.Keys);
        Assert.Equal([2], stripped["b"].Shape);
        Assert.Contains("duplicate tensor 'a'", Assert.Throws<ModelFormatException>(() => new TensorDictionary([T("module.a"), T("a")]).WithoutPrefix("module.")).Message);
    }

    [Fact]
    public void InconsistentTensorsAreRefused()
    {
        Assert.Contains("duplicate", Assert.Throws<ModelFormatException>(() => new TensorDictionary([T("a"), T("a")])).Message);
        Assert.Contains("does not match its 1 values", Assert.Throws<ModelFormatException>(() => new TensorDictionary([T("a") with { Shape = [2] }])).Message);
        Assert.Throws<KeyNotFoundException>(() => new TensorDictionary([])["x"]);
        Assert.True(TensorDictionary.IsBatchNormCounter("stages.0.bn.num_batches_tracked"));
        Assert.False(TensorDictionary.IsBatchNormCounter("stages.0.bn.running_mean"));
    }
}
