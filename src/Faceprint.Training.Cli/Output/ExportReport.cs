namespace Faceprint.Training.Cli.Output;

/// <summary>
/// JSON of <c>faceprint export</c>: what was read and written (<c>efm3</c> only when asked for), and the parity measured on the check batch for the
/// reparameterized engine form and, for families stored in train form, the unreparameterized one.
/// </summary>
internal sealed record ExportReport(string Checkpoint, string Output, string? Efm3, string Family, int Tensors, int Batch, double Tolerance,
    double MaxAbsDifference, double? MaxAbsDifferenceTrainForm);
