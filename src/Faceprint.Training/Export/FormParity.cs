namespace Faceprint.Training.Export;

/// <summary>How closely one engine form of an exported model reproduces the training network.</summary>
/// <param name="Reparameterized">True for the deploy form the engine loads by default, false for the train form (<c>--no-reparam</c>).</param>
/// <param name="MaxAbsDifference">Largest absolute difference over every embedding value of the check batch.</param>
public sealed record FormParity(bool Reparameterized, double MaxAbsDifference);
