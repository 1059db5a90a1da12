namespace Faceprint.Training.Heads;

/// <summary>The classes a PartialFC step scores and the batch labels renumbered into them.</summary>
/// <param name="Classes">Sampled class indices, ascending: every class of the batch plus random negatives.</param>
/// <param name="Labels">Each batch label's position in <paramref name="Classes"/>.</param>
public sealed record PartialFCSample(long[] Classes, long[] Labels);
