using System.Text;
using Faceprint.Gallery;
using Faceprint.Server.Errors;
using Microsoft.AspNetCore.Http.Features;

namespace Faceprint.Server.Requests;

/// <summary>Checks of request parameters, each failing with a 400 that names the parameter and the rule.</summary>
internal static class RequestRules
{
    /// <summary>Candidates returned by identification when <c>k</c> is not given.</summary>
    public const int DefaultTopK = 5;

    /// <summary>Most candidates one identification may ask for.</summary>
    public const int MaxTopK = 100;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The person id of a <c>/v1/gallery/persons/{person_id}</c> URL, decoded exactly once from the raw request target
    /// as percent-encoded UTF-8 (so <c>%25FF</c> is the id "%FF", and <c>%FF</c>, not UTF-8, is refused rather than
    /// guessed), then checked against the gallery's <see cref="PersonIds">person id rule</see>.
    /// </summary>
    public static string PersonId(HttpRequest request, string routeValue)
    {
        string raw = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        string? segment = PersonSegment(raw);
        string personId;
        if (segment is null)
        {
            personId = routeValue;
        }
        else
        {
            try
            {
                personId = PercentDecode(segment);
            }
            catch (Exception e) when (e is DecoderFallbackException or FormatException)
            {
                throw ApiException.BadRequest("person_id in the URL must be UTF-8, percent-encoded (e.g. %C3%A9 for é, %25 for %)");
            }
        }

        try
        {
            return PersonIds.Validate(personId);
        }
        catch (InvalidPersonIdException e)
        {
            throw ApiException.BadRequest(e.Message);
        }
    }

    /// <summary>The still-encoded segment after /persons/ in a raw target, or null when the target has another form.</summary>
    private static string? PersonSegment(string rawTarget)
    {
        const string marker = "/gallery/persons/";
        int query = rawTarget.IndexOf('?', StringComparison.Ordinal);
        string path = query < 0 ? rawTarget : rawTarget[..query];
        int at = path.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
            return null;
        string rest = path[(at + marker.Length)..];
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? rest : rest[..slash];
    }

    private static string PercentDecode(string segment)
    {
        var bytes = new List<byte>(segment.Length);
        for (int i = 0; i < segment.Length; i++)
        {
            char c = segment[i];
            if (c == '%')
            {
                if (i + 2 >= segment.Length)
                    throw new FormatException("truncated escape");
                bytes.Add(Convert.ToByte(segment.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                // A request target is ASCII on the wire; anything else was not sent percent-encoded.
                bytes.Add(c < 0x80 ? (byte)c : throw new FormatException("not ASCII"));
            }
        }

        return StrictUtf8.GetString(bytes.ToArray());
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
