using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Faceprint.Training.Tests.Trainer;

/// <summary>A small CNN backbone for tests: N×3×S×S (S divisible by 8) to N×D, three conv-BN-ReLU-pool stages, FC, BN.</summary>
internal sealed class SmallCnn : nn.Module<Tensor, Tensor>
{
    private readonly Sequential _features;
    private readonly Linear _fc;
    private readonly BatchNorm1d _bn;

    public SmallCnn(int inputSize, int embeddingSize, int width = 16) : base(nameof(SmallCnn))
    {
        _features = nn.Sequential(
            nn.Conv2d(3, width, 3, padding: 1, bias: false), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding: 1, bias: false), nn.BatchNorm2d(2 * width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(2 * width, 4 * width, 3, padding: 1, bias: false), nn.BatchNorm2d(4 * width), nn.ReLU(), nn.MaxPool2d(2));
        int side = inputSize / 8;
        _fc = nn.Linear(4 * width * side * side, embeddingSize);
        _bn = nn.BatchNorm1d(embeddingSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return _bn.forward(_fc.forward(_features.forward(input).flatten(1))).MoveToOuterDisposeScope();
    }
}
