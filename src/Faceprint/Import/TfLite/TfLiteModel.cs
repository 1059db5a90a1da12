using System.Runtime.InteropServices;

namespace Faceprint.Import.TfLite;

/// <summary>TFLite builtin operator codes used by the importer (values from the TFLite schema).</summary>
internal enum TfLiteOp
{
    Add = 0, AveragePool2D = 1, Concatenation = 2, Conv2D = 3, DepthwiseConv2D = 4, Dequantize = 6,
    FullyConnected = 9, MaxPool2D = 17, Mul = 18, Relu = 19, Relu6 = 21, Reshape = 22, ResizeBilinear = 23, Softmax = 25,
    Pad = 34, Transpose = 39, Mean = 40, Sub = 41, StridedSlice = 45, Exp = 47, Cast = 53, Prelu = 54, Less = 58, Neg = 59,
    GreaterEqual = 62, Sum = 74, LeakyRelu = 98, Abs = 101,
}

/// <summary>Padding scheme of a TFLite conv or pool.</summary>
internal enum TfLitePadding { Same = 0, Valid = 1 }

/// <summary>
/// One tensor of the (first) subgraph; constant tensors carry float data (float32 or float16 constants) or
/// integer data (int32 constants: paddings, sizes, shapes).
/// </summary>
internal sealed record TfLiteTensor(int Index, string Name, int[] Shape, int Type, float[]? Data, int[]? Ints = null)
{
    public const int Float32 = 0;
    public const int Float16 = 1;
    public const int Int32 = 2;
}

/// <summary>One operator with the options the importer reads.</summary>
internal sealed record TfLiteOperator(TfLiteOp Op, int RawCode, int[] Inputs, int[] Outputs, TfLiteOptions Options);

/// <summary>The builtin options that matter for the supported ops (unused fields stay default).</summary>
internal sealed record TfLiteOptions(TfLitePadding Padding = TfLitePadding.Same, int StrideW = 1, int StrideH = 1,
    int FilterW = 0, int FilterH = 0, int DepthMultiplier = 1, int FusedActivation = 0, int DilationW = 1, int DilationH = 1,
    float Beta = 1f, int Axis = 0, bool AlignCorners = false, bool HalfPixelCenters = false, int[]? NewShape = null,
    float Alpha = 0f, int WeightsFormat = 0, int BeginMask = 0, int EndMask = 0, int EllipsisMask = 0, int NewAxisMask = 0, int ShrinkAxisMask = 0);

/// <summary>
/// A parsed TFLite model (FlatBuffers): tensors with their constant data, operators in execution order.
/// Only float32 (and float16 constants) and int32 constants are decoded; quantised tensors are refused when used.
/// </summary>
internal sealed class TfLiteModel
{
    private TfLiteModel(IReadOnlyList<TfLiteTensor> tensors, IReadOnlyList<TfLiteOperator> operators, int[] inputs, int[] outputs)
    {
        Tensors = tensors;
        Operators = operators;
        Inputs = inputs;
        Outputs = outputs;
    }

    public IReadOnlyList<TfLiteTensor> Tensors { get; }
    public IReadOnlyList<TfLiteOperator> Operators { get; }
    public int[] Inputs { get; }
    public int[] Outputs { get; }

    public static TfLiteModel Load(string path)
    {
        if (!File.Exists(path)) throw new ModelFormatException($"TFLite model not found: {path}");
        try
        {
            return Parse(File.ReadAllBytes(path));
        }
        catch (ModelFormatException e)
        {
            throw new ModelFormatException($"{Path.GetFileName(path)}: {e.Message}", e);
        }
    }

    public static TfLiteModel Parse(byte[] file)
    {
        if (file.Length < 8 || file[4] != (byte)'T' || file[5] != (byte)'F' || file[6] != (byte)'L' || file[7] != (byte)'3')
            throw new ModelFormatException("not a TFLite model (file identifier TFL3 missing)");
        var model = FlatBufferTable.Root(file);
        // Model: 1 operator_codes, 2 subgraphs, 4 buffers.
        var codes = new int[model.VectorLength(1)];
        for (int i = 0; i < codes.Length; i++)
        {
            var code = model.GetTableElement(1, i);
            // builtin_code (field 3) superseded the byte-sized deprecated_builtin_code (field 0) at 127.
            codes[i] = Math.Max(code.GetByte(0), code.GetInt32(3));
        }
        if (model.VectorLength(2) < 1) throw new ModelFormatException("model has no subgraph");
        var graph = model.GetTableElement(2, 0);
        int bufferCount = model.VectorLength(4);

        var tensors = new TfLiteTensor[graph.VectorLength(0)];
        for (int i = 0; i < tensors.Length; i++)
        {
            var t = graph.GetTableElement(0, i);
            int[] shape = t.GetInt32Vector(0);
            int type = t.GetByte(1);
            int buffer = (int)t.GetUInt32(2);
            string name = t.GetString(3) ?? $"tensor{i}";
            float[]? data = null;
            int[]? ints = null;
            if (buffer > 0 && buffer < bufferCount)
            {
                var bytes = model.GetTableElement(4, buffer).GetBytes(0).Span;
                if (bytes.Length > 0 && type == TfLiteTensor.Int32) ints = DecodeInts(bytes, name, shape);
                else if (bytes.Length > 0) data = DecodeFloats(bytes, type, name, shape);
            }
            tensors[i] = new TfLiteTensor(i, name, shape, type, data, ints);
        }

        var operators = new TfLiteOperator[graph.VectorLength(3)];
        for (int i = 0; i < operators.Length; i++)
        {
            var op = graph.GetTableElement(3, i);
            int opcodeIndex = (int)op.GetUInt32(0);
            if ((uint)opcodeIndex >= (uint)codes.Length) throw new ModelFormatException($"operator {i} names opcode {opcodeIndex} of {codes.Length}");
            int raw = codes[opcodeIndex];
            var kind = (TfLiteOp)raw;
            var options = ReadOptions(kind, op.GetTable(4));
            operators[i] = new TfLiteOperator(kind, raw, op.GetInt32Vector(1), op.GetInt32Vector(2), options);
        }
        return new TfLiteModel(tensors, operators, graph.GetInt32Vector(1), graph.GetInt32Vector(2));
    }

    private static float[] DecodeFloats(ReadOnlySpan<byte> bytes, int type, string name, int[] shape)
    {
        long count = 1;
        foreach (int d in shape) count *= d;
        switch (type)
        {
            case TfLiteTensor.Float32:
                if (bytes.Length != count * 4) throw new ModelFormatException($"tensor '{name}' holds {bytes.Length} bytes, expected {count * 4}");
                return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
            case TfLiteTensor.Float16:
                if (bytes.Length != count * 2) throw new ModelFormatException($"tensor '{name}' holds {bytes.Length} bytes, expected {count * 2}");
                var halves = MemoryMarshal.Cast<byte, Half>(bytes);
                var result = new float[halves.Length];
                for (int i = 0; i < halves.Length; i++) result[i] = (float)halves[i];
                return result;
            default:
                return []; // integer constants (shapes, axes) are not needed as floats
        }
    }

    private static int[] DecodeInts(ReadOnlySpan<byte> bytes, string name, int[] shape)
    {
        long count = 1;
        foreach (int d in shape) count *= d;
        if (bytes.Length != count * 4) throw new ModelFormatException($"tensor '{name}' holds {bytes.Length} bytes, expected {count * 4}");
        return MemoryMarshal.Cast<byte, int>(bytes).ToArray();
    }

    private static TfLiteOptions ReadOptions(TfLiteOp op, FlatBufferTable? table)
    {
        if (table is not { } t) return new TfLiteOptions();
        return op switch
        {
            TfLiteOp.Conv2D => new TfLiteOptions((TfLitePadding)t.GetByte(0), t.GetInt32(1, 1), t.GetInt32(2, 1),
                FusedActivation: t.GetByte(3), DilationW: t.GetInt32(4, 1), DilationH: t.GetInt32(5, 1)),
            TfLiteOp.DepthwiseConv2D => new TfLiteOptions((TfLitePadding)t.GetByte(0), t.GetInt32(1, 1), t.GetInt32(2, 1),
                DepthMultiplier: t.GetInt32(3, 1), FusedActivation: t.GetByte(4), DilationW: t.GetInt32(5, 1), DilationH: t.GetInt32(6, 1)),
            TfLiteOp.MaxPool2D or TfLiteOp.AveragePool2D => new TfLiteOptions((TfLitePadding)t.GetByte(0), t.GetInt32(1, 1), t.GetInt32(2, 1),
                FilterW: t.GetInt32(3), FilterH: t.GetInt32(4), FusedActivation: t.GetByte(5)),
            TfLiteOp.FullyConnected => new TfLiteOptions(FusedActivation: t.GetByte(0), WeightsFormat: t.GetByte(1)),
            TfLiteOp.Add or TfLiteOp.Mul or TfLiteOp.Sub => new TfLiteOptions(FusedActivation: t.GetByte(0)),
            TfLiteOp.Softmax => new TfLiteOptions(Beta: t.GetFloat(0, 1f)),
            TfLiteOp.Concatenation => new TfLiteOptions(Axis: t.GetInt32(0), FusedActivation: t.GetByte(1)),
            TfLiteOp.Reshape => new TfLiteOptions(NewShape: t.GetInt32Vector(0)),
            TfLiteOp.LeakyRelu => new TfLiteOptions(Alpha: t.GetFloat(0)),
            TfLiteOp.StridedSlice => new TfLiteOptions(BeginMask: t.GetInt32(0), EndMask: t.GetInt32(1), EllipsisMask: t.GetInt32(2),
                NewAxisMask: t.GetInt32(3), ShrinkAxisMask: t.GetInt32(4)),
            // Fields 0 and 1 (new_height, new_width) are deprecated: the size is the op's second input.
            TfLiteOp.ResizeBilinear => new TfLiteOptions(AlignCorners: t.GetByte(2) != 0, HalfPixelCenters: t.GetByte(3) != 0),
            _ => new TfLiteOptions(),
        };
    }
}
