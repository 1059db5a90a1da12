using Faceprint.Training.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Faceprint.Training.Models.FaceLiVT;

/// <summary>
/// FaceLiVT's multi-head linear attention body (SPEC §4): GroupNorm(1, C) <c>norm</c>, then per head h (a contiguous
/// block of C/heads channels) <c>linear1.{h}</c> (N → e·N), exact GELU, <c>linear2.{h}</c> (e·N → N) along the token
/// axis. Head outputs are concatenated along the token axis and reshaped back to C×H×W, which puts head h's j-th
/// channel on channel j·heads + h — the interleave the engine's token-mixing kernel reproduces.
/// </summary>
internal sealed class Mhla : ReferenceModule
{
    private const double GroupNormEpsilon = 1e-5;

    private readonly GroupNorm _norm;
    private readonly ModuleList<Linear> _linear1;
    private readonly ModuleList<Linear> _linear2;
    private readonly int _heads;

    /// <summary>Creates the mixer for <paramref name="channels"/> channels over <paramref name="tokens"/> tokens.</summary>
    public Mhla(int channels, int tokens, int heads, int expansion) : base(nameof(Mhla))
    {
        _heads = heads;
        _norm = nn.GroupNorm(1, channels, GroupNormEpsilon);
        // TorchSharp 0.107 leaves GroupNorm's affine uninitialised (garbage, even NaN); PyTorch starts it at γ = 1, β = 0.
        using (no_grad())
        {
            _norm.weight!.fill_(1);
            _norm.bias!.zero_();
        }
        _linear1 = nn.ModuleList(Enumerable.Range(0, heads).Select(_ => nn.Linear(tokens, expansion * tokens)).ToArray());
        _linear2 = nn.ModuleList(Enumerable.Range(0, heads).Select(_ => nn.Linear(expansion * tokens, tokens)).ToArray());
        register_module("norm", _norm);
        register_module("linear1", _linear1);
        register_module("linear2", _linear2);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        long batch = input.shape[0], channels = input.shape[1], height = input.shape[2], width = input.shape[3];
        using var normed = _norm.forward(input);
        using var perHead = normed.reshape(batch, _heads, channels / _heads, height * width);
        var outputs = new Tensor[_heads];
        try
        {
            for (int h = 0; h < _heads; h++)
            {
                using var x = perHead.select(1, h);
                using var hidden = _linear1[h].forward(x);
                using var activated = nn.functional.gelu(hidden);
                outputs[h] = _linear2[h].forward(activated);
            }
            using var joined = cat(outputs, -1);
            return joined.reshape(batch, channels, height, width);
        }
        finally
        {
            foreach (var o in outputs) o?.Dispose();
        }
    }
}
