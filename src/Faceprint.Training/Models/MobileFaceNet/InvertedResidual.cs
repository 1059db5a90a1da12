using Faceprint.Training.Models;
using static TorchSharp.torch;

namespace Faceprint.Training.Models.MobileFaceNet;

/// <summary>
/// MobileFaceNet's bottleneck: <c>expand</c> 1×1 (PReLU), <c>dw</c> depthwise 3×3 pad 1 at the block's stride (PReLU),
/// <c>project</c> 1×1 (linear); the input is added back only at stride 1 with equal widths (SPEC §3).
/// </summary>
internal sealed class InvertedResidual : ReferenceModule
{
    private readonly ConvBnPRelu _expand;
    private readonly ConvBnPRelu _dw;
    private readonly ConvBnPRelu _project;
    private readonly bool _residual;

    /// <summary>Creates the block from its three convs; <paramref name="residual"/> adds the input to the output.</summary>
    public InvertedResidual(ConvBnPRelu expand, ConvBnPRelu dw, ConvBnPRelu project, bool residual) : base(nameof(InvertedResidual))
    {
        _expand = expand;
        _dw = dw;
        _project = project;
        _residual = residual;
        register_module("expand", expand);
        register_module("dw", dw);
        register_module("project", project);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var e = _expand.forward(input);
        using var d = _dw.forward(e);
        var p = _project.forward(d);
        if (!_residual) return p;
        using (p) return input + p;
    }
}
