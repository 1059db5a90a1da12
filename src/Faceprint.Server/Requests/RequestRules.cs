using Faceprint.Server.Errors;

namespace Faceprint.Server.Requests;

/// <summary>Checks of request parameters, each failing with a 400 that names the parameter and the rule.</summary>
internal static class RequestRules
{
    /// <summary>Longest person id accepted.</summary>
    public const int MaxPersonIdLength = 128;

    /// <summary>Candidates returned by identification when <c>k</c> is not given.</summary>
    public const int DefaultTopK = 5;

    /// <summary>Most candidates one identification may ask for.</summary>
    public const int MaxTopK = 100;

    /// <summary>A person id: 1 to 128 characters without control characters.</summary>
    public static string PersonId(string? personId)
    {
        if (string.IsNullOrEmpty(personId) || personId.Length > MaxPersonIdLength || personId.Any(char.IsControl))
            throw ApiException.BadRequest($"person_id must be 1 to {MaxPersonIdLength} characters without control characters");
        return personId;
    }

    /// <summary>The <c>k</c> of an identification, defaulting to <see cref="DefaultTopK"/>.</summary>
    public static int TopK(int? k) => k switch
    {
        null => DefaultTopK,
        >= 1 and <= MaxTopK => k.Value,
        _ => throw ApiException.BadRequest($"k must be between 1 and {MaxTopK}, got {k}"),
    };

    /// <summary>A cosine threshold in [-1, 1], defaulting to the model's.</summary>
    public static float Threshold(float? threshold, float modelDefault) => threshold switch
    {
        null => modelDefault,
        >= -1f and <= 1f => threshold.Value,
        _ => throw ApiException.BadRequest($"threshold must be a cosine similarity in [-1, 1], got {threshold}"),
    };

    /// <summary>An embedding sent as JSON: the model's length, finite, not all zero.</summary>
    public static float[] Embedding(float[]? embedding, int dimension, string what)
    {
        if (embedding is null)
            throw ApiException.BadRequest($"{what} is missing");
        if (embedding.Length != dimension)
            throw ApiException.BadRequest($"{what} has {embedding.Length} values; this model's embeddings have {dimension}");
        double sumOfSquares = 0;
        foreach (float x in embedding)
        {
            if (!float.IsFinite(x))
                throw ApiException.BadRequest($"{what} holds a value that is not a finite number");
            sumOfSquares += (double)x * x;
        }

        return sumOfSquares > 0 ? embedding : throw ApiException.BadRequest($"{what} is all zeros");
    }
}
