using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;
using Faceprint.Import.TfJs;
using Faceprint.Tests.Reference;
using Faceprint.Tests.Support;
using static Faceprint.Tests.Support.TfJsGraphBuilder;

namespace Faceprint.Tests.Import.TfJs;

/// <summary>
/// Small graphs that spell the face embedders' op patterns (fused convs, the three PReLU spellings, ReLU6 as
/// Minimum/Maximum, Pad before VALID conv, per-channel Mul/Add folds, BatchNorm, pooling, flatten + MatMul, L2
/// normalisation) translated onto the engine and compared with the naive interpreter of the raw graph.
/// </summary>
public sealed class TfJsGraphTranslatorTests
{
    private static float[] Random(int n, int seed, float scale = 1f)
    {
        var r = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() * 2 - 1) * scale)];
    }

    private static (float[] Engine, float[] Reference, Network Network) Run(TfJsModel model, string output, int h, int w, int c, int batch = 2,
        TfJsInputTransform? transform = null, Func<float[], float[]>? referenceInput = null)
    {
        var network = TfJsImporter.ImportGraph(model, output, transform);
        var input = Random(batch * h * w * c, 3, 2f);
        var session = new InferenceSession(network, threads: 2);
        input.CopyTo(session.PrepareInput(new TensorShape(batch, h, w, c)));
        session.Run();
        var expected = new TfJsReferenceInterpreter(model).Run(referenceInput?.Invoke(input) ?? input, [batch, h, w, c], output);
        return (session.Output(0).ToArray(), expected, network);
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * (1 + Math.Abs(expected[i])), $"[{i}] {actual[i]} vs {expected[i]}");
    }

    /// <summary>MobileFaceNet's spellings: fused conv + relu(x) + c(x − |x|), fused depthwise with ReLU + x + c(x − |x|), residual, L2.</summary>
    [Fact]
    public void MobileFaceNet_patterns_match_the_raw_graph()
    {
        var g = new TfJsGraphBuilder();
        g.Input("img", 8, 8, 3);
        g.Const("w0", [3, 3, 3, 4], Random(108, 1));
        g.Const("b0", [4], Random(4, 2));
        g.Conv("conv0", "_FusedConv2D", ["img", "w0", "b0"], 2, "SAME", "BiasAdd");
        g.Const("a0", [4], Random(4, 4, 0.5f));
        g.Node("relu0", "Relu", ["conv0"]);
        g.Node("abs0", "Abs", ["conv0"]);
        g.Node("sub0", "Sub", ["conv0", "abs0"]);
        g.Node("mul0", "Mul", ["sub0", "a0"]);
        g.Node("prelu0", "Add", ["relu0", "mul0"]);
        g.Const("wd", [3, 3, 4, 1], Random(36, 5));
        g.Const("bd", [4], Random(4, 6));
        g.Conv("dw", "FusedDepthwiseConv2dNative", ["prelu0", "wd", "bd"], 1, "SAME", "BiasAdd", "Relu");
        g.Const("ad", [4], Random(4, 7, 0.5f));
        g.Node("absd", "Abs", ["dw"]);
        g.Node("subd", "Sub", ["dw", "absd"]);
        g.Node("muld", "Mul", ["subd", "ad"]);
        g.Node("prelud", "Add", ["dw", "muld"]);
        g.Const("w1", [1, 1, 4, 4], Random(16, 8));
        g.Const("b1", [4], Random(4, 9));
        g.Conv("conv1", "_FusedConv2D", ["prelud", "w1", "b1"], 1, "SAME", "BiasAdd");
        g.Node("res", "AddV2", ["conv1", "prelu0"]);
        g.Ints("axes", [2], [1, 2]);
        g.Node("gap", "Mean", ["res", "axes"], new() { ["keep_dims"] = new System.Text.Json.Nodes.JsonObject { ["b"] = true } });
        g.Node("squeeze", "Squeeze", ["gap"], new() { ["squeeze_dims"] = IntList(1, 2) });
        g.Node("sq", "Square", ["squeeze"]);
        g.Ints("sumaxis", [], [1]);
        g.Node("sum", "Sum", ["sq", "sumaxis"], new() { ["keep_dims"] = new System.Text.Json.Nodes.JsonObject { ["b"] = true } });
        g.Const("eps", [], [1e-10f]);
        g.Node("max", "Maximum", ["sum", "eps"]);
        g.Node("rsqrt", "Rsqrt", ["max"]);
        g.Node("embeddings", "Mul", ["squeeze", "rsqrt"]);
        var (engine, reference, network) = Run(g.Build(), "embeddings", 8, 8, 3);
        AssertClose(reference, engine);
        // Biases and PReLUs fold into the convs: conv, depthwise, conv, add, pool, L2 — no element-wise layers left.
        Assert.DoesNotContain(network.Layers, l => l is ChannelAffineLayer or ReluLayer);
        Assert.Contains(network.Layers, l => l is L2NormalizeLayer);
    }

    /// <summary>MobileFace's spellings: input scaling by scalars, Pad + VALID conv, max(x,0) + c·min(x,0), flatten, MatMul, BN as Mul/AddV2.</summary>
    [Fact]
    public void MobileFace_patterns_match_the_raw_graph()
    {
        var g = new TfJsGraphBuilder();
        g.Input("data", 6, 6, 3);
        g.Const("minus", [1], [0.25f]);
        g.Const("scale", [1], [0.5f]);
        g.Node("sub", "Sub", ["data", "minus"]);
        g.Node("mul", "Mul", ["sub", "scale"]);
        g.Ints("pads", [4, 2], [0, 0, 1, 1, 1, 1, 0, 0]);
        g.Node("pad", "Pad", ["mul", "pads"]);
        g.Const("w0", [3, 3, 3, 5], Random(135, 11));
        g.Conv("conv0", "Conv2D", ["pad", "w0"], 2, "VALID");
        g.Const("zero1", [], [0f]);
        g.Const("zero2", [], [0f]);
        g.Node("pos", "Maximum", ["zero1", "conv0"]);
        g.Node("neg", "Minimum", ["zero2", "conv0"]);
        g.Const("gamma", [5], Random(5, 12, 0.3f));
        g.Node("negs", "Mul", ["gamma", "neg"]);
        g.Node("prelu", "AddV2", ["pos", "negs"]);
        g.Ints("flat", [2], [-1, 45]);
        g.Node("flatten", "Reshape", ["prelu", "flat"]);
        g.Const("kernel", [45, 7], Random(315, 13));
        g.Node("dense", "MatMul", ["flatten", "kernel"], new() { ["transpose_a"] = new System.Text.Json.Nodes.JsonObject { ["b"] = false }, ["transpose_b"] = new System.Text.Json.Nodes.JsonObject { ["b"] = false } });
        g.Const("bnmul", [7], Random(7, 14));
        g.Const("bnadd", [7], Random(7, 15));
        g.Node("bn1", "Mul", ["dense", "bnmul"]);
        g.Node("out", "AddV2", ["bn1", "bnadd"]);
        var (engine, reference, network) = Run(g.Build(), "out", 6, 6, 3);
        AssertClose(reference, engine);
        Assert.Contains(network.Layers, l => l is Conv2dLayer { Padding.Mode: PaddingMode.Explicit, Padding.Amount: 1 });
    }

    /// <summary>HSE's spellings: conv + Add bias + Relu + Minimum 6 + Maximum 0, depthwise + Mul + Add, global mean; plus BatchNorm, MaxPool, the input transform.</summary>
    [Fact]
    public void FaceRes_patterns_and_input_transform_match_the_raw_graph()
    {
        var g = new TfJsGraphBuilder();
        g.Input("input_1", 9, 9, 3);
        g.ConstHalf("w0", [3, 3, 3, 6], Random(162, 21));
        g.Conv("conv0", "Conv2D", ["input_1", "w0"], 2, "SAME");
        g.Const("b0", [6], Random(6, 22));
        g.Node("add0", "Add", ["conv0", "b0"]);
        g.Node("relu0", "Relu", ["add0"]);
        g.Const("six", [], [6f]);
        g.Const("zero", [], [0f]);
        g.Node("min0", "Minimum", ["relu0", "six"]);
        g.Node("clip0", "Maximum", ["min0", "zero"]);
        g.Const("wd", [3, 3, 6, 1], Random(54, 23));
        g.Conv("dw", "DepthwiseConv2dNative", ["clip0", "wd"], 1, "SAME");
        g.Const("s1", [6], Random(6, 24));
        g.Const("t1", [6], Random(6, 25));
        g.Node("bnm", "Mul", ["dw", "s1"]);
        g.Node("bna", "Add", ["bnm", "t1"]);
        g.Const("gamma", [6], Random(6, 26));
        g.Const("beta", [6], Random(6, 27));
        g.Const("mean", [6], Random(6, 28));
        g.Const("var", [6], [.. Random(6, 29).Select(v => 1 + v * v)]);
        g.Node("bn", "FusedBatchNormV3", ["bna", "gamma", "beta", "mean", "var"], new() { ["epsilon"] = new System.Text.Json.Nodes.JsonObject { ["f"] = 0.001 } });
        g.Node("pool", "MaxPool", ["bn"], new() { ["ksize"] = IntList(1, 2, 2, 1), ["strides"] = IntList(1, 2, 2, 1), ["padding"] = S("SAME") });
        g.Node("relu6", "Relu6", ["pool"]);
        g.Ints("axes", [2], [1, 2]);
        g.Node("global_pooling/Mean", "Mean", ["relu6", "axes"]);
        var transform = new TfJsInputTransform([1f, 2f, 0.5f], [-0.1f, 0.2f, 0.3f], ReverseChannels: true);
        var (engine, reference, _) = Run(g.Build(), "global_pooling/Mean", 9, 9, 3, transform: transform, referenceInput: input =>
        {
            var x = new float[input.Length];
            for (int p = 0; p < input.Length; p += 3)
                for (int c = 0; c < 3; c++) x[p + c] = input[p + 2 - c] * transform.Scale[c] + transform.Shift[c];
            return x;
        });
        AssertClose(reference, engine);
    }

    [Fact]
    public void Heads_not_asked_for_are_not_built()
    {
        var g = new TfJsGraphBuilder();
        g.Input("x", 2, 2, 1);
        g.Node("features", "Relu", ["x"]);
        g.Node("head", "Sigmoid", ["features"]);
        var network = TfJsImporter.ImportGraph(g.Build(), "features");
        Assert.Single(network.Layers);
    }

    [Fact]
    public void Unsupported_op_is_refused_by_op_and_node()
    {
        var g = new TfJsGraphBuilder();
        g.Input("x", 2, 2, 1);
        g.Node("head", "Sigmoid", ["x"]);
        var e = Assert.Throws<ModelFormatException>(() => TfJsImporter.ImportGraph(g.Build(), "head"));
        Assert.Contains("Sigmoid", e.Message);
        Assert.Contains("'head'", e.Message);
    }

    [Fact]
    public void Asymmetric_pad_is_refused()
    {
        var g = new TfJsGraphBuilder();
        g.Input("x", 4, 4, 1);
        g.Ints("pads", [4, 2], [0, 0, 0, 1, 0, 1, 0, 0]);
        g.Node("pad", "Pad", ["x", "pads"]);
        g.Const("w", [3, 3, 1, 1], Random(9, 1));
        g.Conv("conv", "Conv2D", ["pad", "w"], 1, "VALID");
        var e = Assert.Throws<ModelFormatException>(() => TfJsImporter.ImportGraph(g.Build(), "conv"));
        Assert.Contains("Pad", e.Message);
    }
}
