namespace Faceprint;

/// <summary>
/// Base class of every error Faceprint reports on purpose: bad input, a missing or corrupt model file,
/// a failed model pull. Its message is one line meant for the person running the program.
/// </summary>
public class FaceprintException : Exception
{
    /// <summary>Creates an error with a one-line message.</summary>
    public FaceprintException(string message) : base(message) { }

    /// <summary>Creates an error with a one-line message and the underlying cause.</summary>
    public FaceprintException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>An image could not be read: missing, unsupported, corrupt, truncated or too large.</summary>
public sealed class ImageLoadException : FaceprintException
{
    /// <summary>Creates the error.</summary>
    public ImageLoadException(string message) : base(message) { }

    /// <summary>Creates the error with its cause.</summary>
    public ImageLoadException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A model file is missing, truncated, corrupt or does not match what the engine expects.</summary>
public sealed class ModelFormatException : FaceprintException
{
    /// <summary>Creates the error.</summary>
    public ModelFormatException(string message) : base(message) { }

    /// <summary>Creates the error with its cause.</summary>
    public ModelFormatException(string message, Exception inner) : base(message, inner) { }
}
