namespace Faceprint.Liveness;

/// <summary>What the anti-spoofing check concluded about one face.</summary>
public enum LivenessVerdict
{
    /// <summary>Sharp enough to judge and scored below the threshold.</summary>
    Live,

    /// <summary>Scored at or above the threshold: likely a printed photo, a screen or a mask.</summary>
    Spoof,

    /// <summary>Too blurry to judge (the package refuses such faces as not live too).</summary>
    Blurry,
}
