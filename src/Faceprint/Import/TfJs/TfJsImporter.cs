using Faceprint.Core.Graph;

namespace Faceprint.Import.TfJs;

/// <summary>Builds engine networks from TensorFlow.js graph models (<c>model.json</c> plus its weight shards).</summary>
public static class TfJsImporter
{
    /// <summary>
    /// The network computing node <paramref name="output"/> of the graph in <paramref name="jsonPath"/>, with
    /// <paramref name="input"/> (if any) applied to the pixels first; translated op by op, nothing converted on disk.
    /// </summary>
    public static Network ImportGraph(string jsonPath, string output, TfJsInputTransform? input = null) =>
        TfJsGraphTranslator.Translate(TfJsModel.Load(jsonPath), output, input);

    /// <summary>As <see cref="ImportGraph(string, string, TfJsInputTransform?)"/> for an already parsed model.</summary>
    public static Network ImportGraph(TfJsModel model, string output, TfJsInputTransform? input = null) =>
        TfJsGraphTranslator.Translate(model, output, input);
}
