namespace Faceprint.Evaluation;

/// <summary>What to do with a pair that has no score, typically because no face was found in one of its images.</summary>
public enum MissingScorePolicy
{
    /// <summary>
    /// Keep the pair and predict "different" at every threshold, as if its score were −∞.
    /// The honest default: a matched pair whose face was missed counts as an error.
    /// </summary>
    CountAsDifferent,

    /// <summary>Drop the pair from the evaluation; flatters the results of a detector that misses hard faces.</summary>
    Exclude,
}
