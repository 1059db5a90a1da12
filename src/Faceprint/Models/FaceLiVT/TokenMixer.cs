using System.Text.Json.Serialization;

namespace Faceprint.Models.FaceLiVT;

/// <summary>How a FaceLiVT stage mixes information between tokens (the reference code's block <c>type</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TokenMixer>))]
public enum TokenMixer
{
    /// <summary>Depthwise RepConv 3×3 (+ 1×1 branch) + BN inside a residual.</summary>
    [JsonStringEnumMemberName("repmix")] RepMix,

    /// <summary>Multi-head linear attention: GroupNorm, then per-head Linear layers along the token axis.</summary>
    [JsonStringEnumMemberName("mhla")] Mhla,

    /// <summary>Multi-head softmax self-attention with fused 1×1 Conv-BN projections.</summary>
    [JsonStringEnumMemberName("mhsa")] Mhsa,
}
