using Faceprint.Core.Graph;
using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;
using Faceprint.Export.Onnx;
using Faceprint.OnnxRuntime;

namespace Faceprint.Tests.Onnx;

public sealed class OnnxExportTests
{
    [Theory]
    [InlineData(112, 3, 2, 0, 1)] // TF SAME, even input: out 56, one pad pixel, after
    [InlineData(111, 3, 2, 1, 1)] // odd input: out 56, two pad pixels split 1 / 1
    [InlineData(14, 3, 1, 1, 1)]
    [InlineData(7, 2, 2, 0, 1)]   // P-Net-style 2×2/2 pool on an odd side
    public void SamePaddingBecomesExplicitPadsWithTheExtraPixelAfter(int side, int kernel, int stride, long before, long after)
    {
        long[] pads = OnnxExportContext.Pads(Padding.Same, new TensorShape(1, side, side, 1), kernel, stride);

        Assert.Equal([before, before, after, after], pads);
    }

    [Fact]
    public void SymmetricAndValidPaddingKeepTheirAmounts()
    {
        Assert.Equal([1L, 1, 1, 1], OnnxExportContext.Pads(Padding.Symmetric(1), new TensorShape(1, 56, 56, 1), 3, 2));
        Assert.Equal([0L, 0, 0, 0], OnnxExportContext.Pads(Padding.Valid, new TensorShape(1, 24, 24, 1), 3, 1));
    }

    [Fact]
    public void GraphTakesTheEngineNhwcBufferWithAFreeBatch()
    {
        var network = SingleConv(Activation.Relu);
        using var ort = new OrtModelRunner(new OnnxExporter().Export(network, 5, 6), threads: 1);

        var input = ort.PrepareInput(new TensorShape(3, 5, 6, 2));
        for (int i = 0; i < input.Length; i++) input[i] = i % 7 - 3;
        ort.Run();

        Assert.Equal([3L, 5, 6, 4], ort.OutputShape(0));
        // Pixel (n 2, y 4, x 5), channel 3 of a 1×1 conv: relu(Σ_c w[3,c]·x[c] + b[3]).
        int at = ((2 * 5 + 4) * 6 + 5) * 2;
        float x0 = at % 7 - 3, x1 = (at + 1) % 7 - 3;
        Assert.Equal(MathF.Max(0, 0.5f * x0 - 1f * x1 + 0.25f), ort.Output(0)[((2 * 5 + 4) * 6 + 5) * 4 + 3], 1e-6f);
    }

    [Fact]
    public void UnknownLayerTypeIsAClearError()
    {
        var builder = new NetworkBuilder();
        int y = builder.Add(new Doubling("double", NetworkBuilder.Input, builder.NewValue()));
        var network = builder.Build("custom", 2, y);

        var e = Assert.Throws<OnnxExportException>(() => new OnnxExporter().Export(network, 4, 4));

        Assert.Contains("no ONNX exporter for layer 'double' of type Doubling", e.Message);
    }

    [Fact]
    public void ARegisteredExporterMakesANewLayerTypeExportable()
    {
        var builder = new NetworkBuilder();
        int y = builder.Add(new Doubling("double", NetworkBuilder.Input, builder.NewValue()));
        var network = builder.Build("custom", 2, y);
        var exporter = new OnnxExporter(OnnxExporterRegistry.CreateDefault().Register(new DoublingExporter()));

        using var ort = new OrtModelRunner(exporter.Export(network, 2, 2), threads: 1);
        var input = ort.PrepareInput(new TensorShape(1, 2, 2, 2));
        for (int i = 0; i < input.Length; i++) input[i] = i;
        ort.Run();

        Assert.Equal(Enumerable.Range(0, 8).Select(i => 2f * i), ort.Output(0).ToArray());
    }

    [Fact]
    public void FloatAttributesReachOnnxRuntime()
    {
        var builder = new NetworkBuilder();
        int y = builder.Add(new Leaky("leaky", NetworkBuilder.Input, builder.NewValue()));
        var exporter = new OnnxExporter(OnnxExporterRegistry.CreateDefault().Register(new LeakyExporter()));

        using var ort = new OrtModelRunner(exporter.Export(builder.Build("custom", 1, y), 1, 4), threads: 1);
        float[] x = [-2f, -0.5f, 0f, 3f];
        x.CopyTo(ort.PrepareInput(new TensorShape(1, 1, 4, 1)));
        ort.Run();

        Assert.Equal([-0.25f, -0.0625f, 0f, 3f], ort.Output(0).ToArray());
    }

    private static Network SingleConv(Activation activation)
    {
        var builder = new NetworkBuilder();
        // [4 out, 2 in, 1, 1]: channels 0 and 3 weigh the inputs (0.5, −1); channel 3 adds bias 0.25.
        float[] weight = [0.5f, -1f, 0, 0, 0, 0, 0.5f, -1f];
        int y = builder.Add(new Conv2dLayer("conv", NetworkBuilder.Input, builder.NewValue(), weight, [0f, 0f, 0f, 0.25f], 2, 1, 1, Padding.Valid, activation));
        return builder.Build("single-conv", 2, y);
    }

    /// <summary>A layer type the built-in registry does not know.</summary>
    private sealed class Doubling(string name, int input, int output) : Layer(name, [input], output)
    {
        public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs) => inputs[0];

        public override void Run(LayerArgs args)
        {
            var x = args.Input(0);
            var y = args.Output;
            for (int i = 0; i < x.Length; i++) y[i] = 2 * x[i];
        }
    }

    /// <summary>Leaky ReLU with slope 1/8 (exactly representable, so the comparison can be exact).</summary>
    private sealed class Leaky(string name, int input, int output) : Layer(name, [input], output)
    {
        public const float Slope = 0.125f;

        public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs) => inputs[0];

        public override void Run(LayerArgs args)
        {
            var x = args.Input(0);
            var y = args.Output;
            for (int i = 0; i < x.Length; i++) y[i] = x[i] >= 0 ? x[i] : Slope * x[i];
        }
    }

    private sealed class LeakyExporter : OnnxLayerExporter<Leaky>
    {
        protected override void Export(Leaky layer, OnnxExportContext context)
        {
            var layout = context.LayoutOf(layer.Inputs[0]);
            context.SetValue(layer.Output, context.Node("LeakyRelu", layer.Name, [context.Value(layer.Inputs[0], layout)], OnnxAttribute.Float("alpha", Leaky.Slope)), layout);
        }
    }

    private sealed class DoublingExporter : OnnxLayerExporter<Doubling>
    {
        protected override void Export(Doubling layer, OnnxExportContext context)
        {
            var layout = context.LayoutOf(layer.Inputs[0]);
            string two = context.Constant(layer.Name + ".two", [1], [2f]);
            context.SetValue(layer.Output, context.Node("Mul", layer.Name, [context.Value(layer.Inputs[0], layout), two]), layout);
        }
    }
}
