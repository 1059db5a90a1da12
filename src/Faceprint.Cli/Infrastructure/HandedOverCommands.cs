namespace Faceprint.Cli.Infrastructure;

/// <summary>
/// Names and one-line descriptions of the commands a <see cref="CompanionExecutable"/> runs, shared by this
/// executable's help and the companion's own commands so both say the same.
/// </summary>
internal static class HandedOverCommands
{
    /// <summary><c>faceprint train</c>.</summary>
    public const string Train = "train";

    /// <summary><c>faceprint export</c>.</summary>
    public const string Export = "export";

    /// <summary><c>faceprint bench</c>.</summary>
    public const string Bench = "bench";

    /// <summary>What <c>faceprint train</c> does.</summary>
    public const string TrainDescription = "Train a face-embedding network (margin softmax with PartialFC, optional distillation / LVFace stages)";

    /// <summary>What <c>faceprint export</c> does.</summary>
    public const string ExportDescription = "Export a trained network to the engine's .fpm format and verify the engine reproduces it";

    /// <summary>What <c>faceprint bench</c> does.</summary>
    public const string BenchDescription = "Time the engine against ONNX Runtime (the default model unless --models or --all; batch 1 and 32), and detection at 640x480";
}
