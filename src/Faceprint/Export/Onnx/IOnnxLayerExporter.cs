using Faceprint.Core.Graph;

namespace Faceprint.Export.Onnx;

/// <summary>Writes the ONNX nodes of one engine layer type. Register new ones in <see cref="OnnxExporterRegistry"/>.</summary>
public interface IOnnxLayerExporter
{
    /// <summary>The exact layer type this exporter handles.</summary>
    Type LayerType { get; }

    /// <summary>Appends nodes computing <paramref name="layer"/>'s output and binds it with <see cref="OnnxExportContext.SetValue"/>.</summary>
    void Export(Layer layer, OnnxExportContext context);
}

/// <summary>Typed base for <see cref="IOnnxLayerExporter"/>.</summary>
public abstract class OnnxLayerExporter<TLayer> : IOnnxLayerExporter where TLayer : Layer
{
    /// <inheritdoc />
    public Type LayerType => typeof(TLayer);

    /// <inheritdoc />
    public void Export(Layer layer, OnnxExportContext context) => Export((TLayer)layer, context);

    /// <summary>Appends the nodes of <paramref name="layer"/>.</summary>
    protected abstract void Export(TLayer layer, OnnxExportContext context);
}
