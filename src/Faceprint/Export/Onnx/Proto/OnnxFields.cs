namespace Faceprint.Export.Onnx.Proto;

/// <summary>Field numbers and enum values of onnx.proto (ONNX IR) that the exporter writes.</summary>
internal static class OnnxFields
{
    public static class Model
    {
        public const int IrVersion = 1, ProducerName = 2, ProducerVersion = 3, DocString = 6, Graph = 7, OpsetImport = 8;
    }

    public static class OperatorSetId
    {
        public const int Domain = 1, Version = 2;
    }

    public static class Graph
    {
        public const int Node = 1, Name = 2, Initializer = 5, Input = 11, Output = 12;
    }

    public static class Node
    {
        public const int Input = 1, Output = 2, Name = 3, OpType = 4, Attribute = 5;
    }

    public static class Attribute
    {
        public const int Name = 1, F = 2, I = 3, Ints = 8, Type = 20;

        /// <summary>AttributeProto.AttributeType values.</summary>
        public const int TypeFloat = 1, TypeInt = 2, TypeInts = 7;
    }

    public static class Tensor
    {
        public const int Dims = 1, DataType = 2, Name = 8, RawData = 9;

        /// <summary>TensorProto.DataType values.</summary>
        public const int Float = 1, UInt8 = 2, Int8 = 3, Int64 = 7;
    }

    public static class ValueInfo
    {
        public const int Name = 1, Type = 2;
    }

    public static class TypeProto
    {
        public const int TensorType = 1;

        /// <summary>TypeProto.Tensor fields.</summary>
        public const int ElemType = 1, Shape = 2;
    }

    public static class Shape
    {
        public const int Dim = 1;

        /// <summary>TensorShapeProto.Dimension fields.</summary>
        public const int DimValue = 1, DimParam = 2;
    }
}
