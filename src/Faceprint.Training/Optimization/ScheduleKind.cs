namespace Faceprint.Training.Optimization;

/// <summary>Shape of the learning-rate decay after warm-up.</summary>
public enum ScheduleKind
{
    /// <summary>InsightFace's PolyScheduler: (1 − progress)^power, power 2 by default.</summary>
    Polynomial,

    /// <summary>Half a cosine from the peak down to the minimum.</summary>
    Cosine,
}
