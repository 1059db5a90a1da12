using Faceprint.Core.Graph;
using Faceprint.Export.Onnx.Layers;

namespace Faceprint.Export.Onnx;

/// <summary>
/// Layer type → the exporter that writes it. A new layer type becomes exportable by adding its exporter to
/// <see cref="CreateDefault"/> (or registering it on an instance).
/// </summary>
public sealed class OnnxExporterRegistry
{
    private readonly Dictionary<Type, IOnnxLayerExporter> _exporters = [];

    /// <summary>A registry with an exporter for every layer type the engine ships.</summary>
    public static OnnxExporterRegistry CreateDefault() => new OnnxExporterRegistry()
        .Register(new Conv2dExporter())
        .Register(new DepthwiseConv2dExporter())
        .Register(new FullyConnectedExporter())
        .Register(new AddExporter())
        .Register(new MaxPool2dExporter())
        .Register(new SoftmaxExporter())
        .Register(new BatchNormExporter())
        .Register(new GeluExporter())
        .Register(new Relu6Exporter())
        .Register(new LayerNormExporter())
        .Register(new GroupNormExporter())
        .Register(new GlobalAveragePoolExporter())
        .Register(new PositionEmbeddingExporter())
        .Register(new MultiHeadAttentionExporter())
        .Register(new TokenMixingExporter())
        .Register(new Int8PointwiseConvExporter())
        .Register(new Int8Conv2dExporter())
        .Register(new Int8DepthwiseConvExporter())
        .Register(new Int8QuantizeExporter());

    /// <summary>Adds (or replaces) the exporter for its layer type; returns this registry.</summary>
    public OnnxExporterRegistry Register(IOnnxLayerExporter exporter)
    {
        _exporters[exporter.LayerType] = exporter;
        return this;
    }

    /// <summary>The exporter for <paramref name="layer"/>'s exact type.</summary>
    public IOnnxLayerExporter For(Layer layer) => _exporters.TryGetValue(layer.GetType(), out var exporter)
        ? exporter
        : throw new OnnxExportException($"no ONNX exporter for layer '{layer.Name}' of type {layer.GetType().Name}");
}
