namespace Faceprint.Cli.Output;

/// <summary>
/// JSON of <c>faceprint export</c>: what was read and written, and the parity measured on the check batch for the
/// reparameterized engine form and, for families stored in train form, the unreparameterized one.
/// </summary>
internal sealed record ExportReport(string Checkpoint, string Output, string Family, int Tensors, int Batch, double Tolerance,
    double MaxAbsDifference, double? MaxAbsDifferenceTrainForm);
