using Faceprint.Core.Graph;
using Faceprint.Core.Graph.Quantization;

namespace Faceprint.Detection;

/// <summary>
/// The int8 plans of MTCNN's three nets (calibrated input parameters of their dense convs, by layer name); the dense
/// layers after R-Net's and O-Net's convs, and every layer a plan does not name, stay fp32. The nets' fp32 weights are
/// quantized when the detector is built (deterministically, symmetric per output channel), so no int8 files are needed.
/// </summary>
public sealed record MtcnnQuantization(QuantizationPlan PNet, QuantizationPlan RNet, QuantizationPlan ONet)
{
    /// <summary>The int8 P-Net, R-Net and O-Net for the fp32 ones; throws if a plan names a layer its net lacks.</summary>
    public (Network PNet, Network RNet, Network ONet) Apply(Network pnet, Network rnet, Network onet) =>
        (PNet.Apply(pnet), RNet.Apply(rnet), ONet.Apply(onet));
}
