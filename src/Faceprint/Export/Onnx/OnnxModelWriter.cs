using Faceprint.Export.Onnx.Proto;
using F = Faceprint.Export.Onnx.Proto.OnnxFields;

namespace Faceprint.Export.Onnx;

/// <summary>Serialises an <see cref="OnnxGraph"/> as an ONNX ModelProto (binary protobuf).</summary>
public static class OnnxModelWriter
{
    /// <summary>Default-domain operator set the exporters target.</summary>
    public const int Opset = 17;

    /// <summary>IR version released with opset 17 (ONNX 1.12).</summary>
    public const int IrVersion = 8;

    /// <summary>The model's bytes.</summary>
    public static byte[] Write(OnnxGraph graph, string docString)
    {
        var model = new ProtoWriter();
        model.Int64(F.Model.IrVersion, IrVersion);
        model.String(F.Model.ProducerName, "faceprint");
        model.String(F.Model.ProducerVersion, typeof(OnnxModelWriter).Assembly.GetName().Version?.ToString() ?? "0");
        model.String(F.Model.DocString, docString);
        model.Message(F.Model.Graph, g => WriteGraph(g, graph));
        model.Message(F.Model.OpsetImport, o =>
        {
            o.String(F.OperatorSetId.Domain, "");
            o.Int64(F.OperatorSetId.Version, Opset);
        });
        return model.ToArray();
    }

    private static void WriteGraph(ProtoWriter w, OnnxGraph graph)
    {
        foreach (var node in graph.Nodes) w.Message(F.Graph.Node, n => WriteNode(n, node));
        w.String(F.Graph.Name, graph.Name);
        foreach (var t in graph.Initializers) w.Message(F.Graph.Initializer, m => WriteTensor(m, t));
        foreach (var v in graph.Inputs) w.Message(F.Graph.Input, m => WriteValueInfo(m, v));
        foreach (var v in graph.Outputs) w.Message(F.Graph.Output, m => WriteValueInfo(m, v));
    }

    private static void WriteNode(ProtoWriter w, OnnxNode node)
    {
        foreach (var i in node.Inputs) w.String(F.Node.Input, i);
        foreach (var o in node.Outputs) w.String(F.Node.Output, o);
        w.String(F.Node.Name, node.Name);
        w.String(F.Node.OpType, node.OpType);
        foreach (var a in node.Attributes) w.Message(F.Node.Attribute, m => WriteAttribute(m, a));
    }

    private static void WriteAttribute(ProtoWriter w, OnnxAttribute a)
    {
        w.String(F.Attribute.Name, a.Name);
        if (a.Integer is { } i)
        {
            w.Int64(F.Attribute.Type, F.Attribute.TypeInt);
            w.Int64(F.Attribute.I, i);
        }
        else if (a.Integers is { } ints)
        {
            w.Int64(F.Attribute.Type, F.Attribute.TypeInts);
            w.RepeatedInt64(F.Attribute.Ints, ints);
        }
        else
        {
            w.Int64(F.Attribute.Type, F.Attribute.TypeFloat);
            w.Float(F.Attribute.F, a.Real!.Value);
        }
    }

    private static void WriteTensor(ProtoWriter w, OnnxTensor t)
    {
        w.RepeatedInt64(F.Tensor.Dims, t.Dims);
        w.Int64(F.Tensor.DataType, t.DataType);
        w.String(F.Tensor.Name, t.Name);
        w.Bytes(F.Tensor.RawData, t.Raw.Span);
    }

    private static void WriteValueInfo(ProtoWriter w, OnnxValueInfo v)
    {
        w.String(F.ValueInfo.Name, v.Name);
        w.Message(F.ValueInfo.Type, type => type.Message(F.TypeProto.TensorType, tensor =>
        {
            tensor.Int64(F.TypeProto.ElemType, F.Tensor.Float);
            tensor.Message(F.TypeProto.Shape, shape =>
            {
                foreach (var d in v.Dims)
                    shape.Message(F.Shape.Dim, dim =>
                    {
                        if (d.Param is { } param) dim.String(F.Shape.DimParam, param);
                        else dim.Int64(F.Shape.DimValue, d.Value);
                    });
            });
        }));
    }
}
