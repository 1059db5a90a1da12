using Faceprint.Core.Tensors;

namespace Faceprint.Core.Graph;

/// <summary>Joins up to four values along one axis; the other axes must agree.</summary>
public sealed class ConcatLayer : Layer
{
    /// <summary>Most inputs a layer may read (shape inference keeps input shapes in a fixed stack buffer).</summary>
    public const int MaxInputs = 4;

    /// <summary>Creates the layer over <paramref name="inputs"/> (2 to <see cref="MaxInputs"/>).</summary>
    public ConcatLayer(string name, int[] inputs, int output, ConcatAxis axis) : base(name, inputs, output)
    {
        if (inputs.Length is < 2 or > MaxInputs) throw new ArgumentException($"{name}: concatenation takes 2 to {MaxInputs} inputs, got {inputs.Length}");
        if (!Enum.IsDefined(axis)) throw new ArgumentOutOfRangeException(nameof(axis), axis, "not an NHWC axis");
        Axis = axis;
    }

    /// <summary>The axis joined along.</summary>
    public ConcatAxis Axis { get; }

    /// <inheritdoc />
    public override TensorShape InferShape(ReadOnlySpan<TensorShape> inputs)
    {
        var o = inputs[0];
        for (int i = 1; i < inputs.Length; i++)
        {
            var s = inputs[i];
            bool fits = s.N == o.N
                && (Axis == ConcatAxis.Height || s.H == o.H)
                && (Axis == ConcatAxis.Width || s.W == o.W)
                && (Axis == ConcatAxis.Channels || s.C == o.C);
            if (!fits) throw new InvalidOperationException($"{Name}: cannot join {o} and {s} along {Axis}");
            o = Axis switch
            {
                ConcatAxis.Height => o with { H = o.H + s.H },
                ConcatAxis.Width => o with { W = o.W + s.W },
                _ => o with { C = o.C + s.C },
            };
        }
        return o;
    }

    /// <inheritdoc />
    public override void Run(LayerArgs args)
    {
        var output = args.Output;
        var o = args.OutputShape;
        // NHWC: everything in front of the axis is an outer loop, the axis and what follows it one contiguous block.
        int outer = Axis switch { ConcatAxis.Height => o.N, ConcatAxis.Width => o.N * o.H, _ => o.Pixels };
        int outBlock = o.Size / Math.Max(outer, 1);
        int offset = 0;
        for (int i = 0; i < Inputs.Length; i++)
        {
            var input = args.Input(i);
            int block = input.Length / Math.Max(outer, 1);
            for (int r = 0; r < outer; r++) input.Slice(r * block, block).CopyTo(output.Slice(r * outBlock + offset, block));
            offset += block;
        }
    }
}
