using Faceprint.Core.Weights;

namespace Faceprint.Training.Export;

/// <summary>An exported model file and the parity measured for each of its engine forms.</summary>
/// <param name="File">The engine model file (not yet saved).</param>
/// <param name="Parity">One entry per engine form checked.</param>
/// <param name="Batch">Faces in the check batch.</param>
/// <param name="Tolerance">Largest absolute difference accepted.</param>
public sealed record ExportResult(ModelFile File, IReadOnlyList<FormParity> Parity, int Batch, double Tolerance);
