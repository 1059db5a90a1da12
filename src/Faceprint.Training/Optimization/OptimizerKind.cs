namespace Faceprint.Training.Optimization;

/// <summary>Which optimizer updates the weights.</summary>
public enum OptimizerKind
{
    /// <summary>Adam with decoupled weight decay (FaceLiVT, LVFace).</summary>
    AdamW,

    /// <summary>SGD with momentum and L2 weight decay (the ArcFace/MobileFaceNet recipes).</summary>
    Sgd,
}
