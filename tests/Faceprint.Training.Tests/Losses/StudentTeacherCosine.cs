using Faceprint.Preprocessing;
using Faceprint.Training.Data;
using static TorchSharp.torch;

namespace Faceprint.Training.Tests.Losses;

/// <summary>How closely a student's embeddings follow a teacher's: the mean cosine over one batch of a whole dataset.</summary>
internal static class StudentTeacherCosine
{
    /// <summary>Mean cosine of teacher and student features (student in eval mode, then back to training) on every image.</summary>
    public static double Mean(nn.Module<Tensor, Tensor> teacher, nn.Module<Tensor, Tensor> student, IFaceDataset data, int size,
        InputNormalization normalization)
    {
        var loader = new BatchLoader(data, new BatchLoaderOptions { BatchSize = data.Count, ImageSize = size, RandomFlip = false, Normalization = normalization });
        var batch = loader.Epoch(0).Single();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        student.eval();
        var x = tensor(batch.Pixels, [batch.Count, 3, size, size]);
        var cos = nn.functional.cosine_similarity(teacher.forward(x), student.forward(x), dim: 1);
        student.train();
        return cos.mean().item<float>();
    }
}
