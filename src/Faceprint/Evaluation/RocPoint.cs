namespace Faceprint.Evaluation;

/// <summary>One operating point of a ROC curve.</summary>
/// <param name="Threshold">
/// Pairs with score strictly greater than this are accepted as "same".
/// <see cref="double.NegativeInfinity"/> only on the closing point that also accepts pairs without a score.
/// </param>
/// <param name="FalsePositiveRate">Fraction of different-person pairs accepted (FAR).</param>
/// <param name="TruePositiveRate">Fraction of same-person pairs accepted (TAR).</param>
public readonly record struct RocPoint(double Threshold, double FalsePositiveRate, double TruePositiveRate);
