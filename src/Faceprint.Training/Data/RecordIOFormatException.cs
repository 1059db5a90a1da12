namespace Faceprint.Training.Data;

/// <summary>A RecordIO pack (<c>.rec</c>/<c>.idx</c>) is truncated, corrupt or inconsistent with its index.</summary>
public sealed class RecordIOFormatException : FaceprintException
{
    /// <summary>Creates the error.</summary>
    public RecordIOFormatException(string message) : base(message) { }

    /// <summary>Creates the error with its cause.</summary>
    public RecordIOFormatException(string message, Exception inner) : base(message, inner) { }
}
