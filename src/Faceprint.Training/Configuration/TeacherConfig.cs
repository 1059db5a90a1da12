namespace Faceprint.Training.Configuration;

/// <summary>
/// A frozen distillation teacher: either a registered backbone with weights from a training checkpoint
/// (<see cref="Network"/> + <see cref="Weights"/>), or a Faceprint engine model file run on the CPU (<see cref="EngineModel"/>).
/// </summary>
public sealed record TeacherConfig
{
    /// <summary>Backbone name of the teacher.</summary>
    public string? Network { get; init; }

    /// <summary>The teacher's weights: a checkpoint folder (its backbone.dat) or a TorchSharp weights file.</summary>
    public string? Weights { get; init; }

    /// <summary>A Faceprint model file (as <c>faceprint models</c> writes them) to run as the teacher instead.</summary>
    public string? EngineModel { get; init; }

    /// <summary>Teacher embedding length; must equal the student's for the MSE term.</summary>
    public int? EmbeddingSize { get; init; }

    /// <summary>α in L = L_cls + α·MSE(teacher, student); FaceLiVT uses 0.5.</summary>
    public double Alpha { get; init; } = 0.5;
}
