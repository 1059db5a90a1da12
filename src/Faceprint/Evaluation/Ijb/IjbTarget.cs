namespace Faceprint.Evaluation.Ijb;

/// <summary>Which IJB benchmark a folder holds; it names the meta files (<c>ijbb_…</c> or <c>ijbc_…</c>).</summary>
public enum IjbTarget
{
    /// <summary>IARPA Janus Benchmark B.</summary>
    IJBB,

    /// <summary>IARPA Janus Benchmark C.</summary>
    IJBC,
}
