using static TorchSharp.torch;

namespace Faceprint.Training.Losses;

/// <summary>
/// Feature distillation as in FaceLiVT: L = L_cls + α·MSE(teacher(x), student(x)). This computes the α·MSE term; the
/// teacher is frozen (evaluation mode, no gradients) and sees the same normalised batch as the student.
/// </summary>
public sealed class DistillationLoss
{
    private readonly nn.Module<Tensor, Tensor> _teacher;

    /// <summary>Freezes <paramref name="teacher"/> and weighs its term by <paramref name="alpha"/>.</summary>
    public DistillationLoss(nn.Module<Tensor, Tensor> teacher, double alpha)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(alpha);
        _teacher = teacher;
        Alpha = alpha;
        teacher.eval();
        foreach (var p in teacher.parameters())
            p.requires_grad = false;
    }

    /// <summary>Weight α of the distillation term.</summary>
    public double Alpha { get; }

    /// <summary>α·MSE between the teacher's features of <paramref name="input"/> and <paramref name="studentFeatures"/>.</summary>
    /// <exception cref="ArgumentException">Teacher and student feature shapes differ.</exception>
    public Tensor Forward(Tensor input, Tensor studentFeatures)
    {
        using var scope = NewDisposeScope();
        Tensor target;
        using (no_grad())
            target = _teacher.forward(input).to(studentFeatures.dtype, studentFeatures.device);
        if (!target.shape.SequenceEqual(studentFeatures.shape))
            throw new ArgumentException($"teacher features [{string.Join(", ", target.shape)}] and student features [{string.Join(", ", studentFeatures.shape)}] differ in shape");
        return (nn.functional.mse_loss(studentFeatures, target) * Alpha).MoveToOuterDisposeScope();
    }
}
