using System.Text.Json.Serialization;

namespace Faceprint.Cli.Output;

/// <summary>
/// One model in <c>faceprint models info</c>: sizes counted from its definition and latency measured here.
/// <c>Params</c> is the train-form count (what papers quote, BN running statistics excluded), <c>ParamsDeploy</c>
/// what the reparameterized graph holds; <c>Macs</c> are the measured graph's multiply-accumulates per face (the
/// train-form graph when <c>Reparameterized</c> is false). Latencies are medians per face at batch 1, with the fastest
/// run beside each.
/// </summary>
internal sealed record ModelInfo(string Model, string Family, string Weights, bool Reparameterized, int InputSize, int EmbeddingSize,
    long Params, long ParamsDeploy, long Macs, [property: JsonPropertyName("ms_1t")] double Ms1t, [property: JsonPropertyName("ms_1t_min")] double Ms1tMin, double MsAll, double MsAllMin,
    int Threads);

/// <summary>JSON of <c>faceprint models info</c>.</summary>
internal sealed record ModelInfoReport(IReadOnlyList<ModelInfo> Models);
