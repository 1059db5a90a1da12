namespace Faceprint.Training.Export;

/// <summary>The exported engine model does not compute what the training network computes (parity check failed).</summary>
public sealed class ExportVerificationException : FaceprintException
{
    /// <summary>Creates the error.</summary>
    public ExportVerificationException(string message) : base(message) { }
}
