using Faceprint.Server.Errors;
using Microsoft.Net.Http.Headers;

namespace Faceprint.Server.Requests;

/// <summary>
/// Takes the images out of a request: the files of a multipart/form-data body, or the whole body when it is sent
/// as <c>image/*</c> or <c>application/octet-stream</c>. Size limits are Kestrel's (413 before anything is buffered
/// past the limit); decoding happens later, under the inference gate.
/// </summary>
internal static class UploadReader
{
    /// <summary>The multipart field a single-image endpoint looks for first.</summary>
    public const string ImageField = "image";

    /// <summary>Whether the body is JSON, for endpoints that also take embeddings.</summary>
    public static bool IsJson(HttpRequest request) => request.HasJsonContentType();

    /// <summary>Every image of the request, in the order sent; multipart files only in field <see cref="ImageField"/>.</summary>
    /// <exception cref="ApiException">No image, too many, a file in another field, or a body type that carries none.</exception>
    public static async Task<IReadOnlyList<ImageUpload>> ReadAllAsync(HttpRequest request, int maxImages, bool jsonAccepted, CancellationToken ct) =>
        await ReadAllAsync(request, maxImages, jsonAccepted, [ImageField], ct).ConfigureAwait(false);

    private static async Task<IReadOnlyList<ImageUpload>> ReadAllAsync(HttpRequest request, int maxImages, bool jsonAccepted, IReadOnlyList<string> fields, CancellationToken ct)
    {
        if (request.HasFormContentType)
        {
            var form = await ReadFormAsync(request, ct).ConfigureAwait(false);
            string expected = string.Join(" and ", fields.Select(f => $"'{f}'"));
            if (form.Files.Count == 0)
                throw ApiException.BadRequest($"the form has no file part: send the image as a file field named {expected}");
            // A file under another name is most likely a client bug (a typo, another API's field name): say so rather than guess.
            if (form.Files.FirstOrDefault(f => !fields.Contains(f.Name, StringComparer.Ordinal)) is { } stray)
                throw ApiException.BadRequest($"unexpected file field '{stray.Name}': send the image as a file field named {expected}");
            if (form.Files.Count > maxImages)
                throw ApiException.BadRequest($"{form.Files.Count} images in one request; at most {maxImages} are accepted");
            var uploads = new List<ImageUpload>(form.Files.Count);
            foreach (var file in form.Files)
            {
                var data = new byte[file.Length];
                await using (var stream = file.OpenReadStream())
                    await stream.ReadExactlyAsync(data, ct).ConfigureAwait(false);
                string name = string.IsNullOrEmpty(file.FileName) ? $"field '{file.Name}'" : $"field '{file.Name}' ({file.FileName})";
                uploads.Add(new ImageUpload(file.Name, name, data));
            }

            return uploads;
        }

        if (IsRawImage(request))
            return [new ImageUpload("body", "request body", await ReadBodyAsync(request, ct).ConfigureAwait(false))];

        string json = jsonAccepted ? ", or JSON" : "";
        throw new ApiException(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.UnsupportedMediaType,
            $"unsupported Content-Type '{request.ContentType ?? "(none)"}': send the image as the body (image/* or application/octet-stream) or as multipart/form-data{json}");
    }

    /// <summary>The one image of a single-image request: the body, or the one file of field <see cref="ImageField"/>.</summary>
    public static async Task<ImageUpload> ReadOneAsync(HttpRequest request, bool jsonAccepted, CancellationToken ct)
    {
        var uploads = await ReadAllAsync(request, int.MaxValue, jsonAccepted, ct).ConfigureAwait(false);
        return uploads.Count == 1
            ? uploads[0]
            : throw ApiException.BadRequest($"expected one image, got {uploads.Count} files; send one file in field '{ImageField}'");
    }

    /// <summary>The files of fields <paramref name="first"/> and <paramref name="second"/> of a multipart form.</summary>
    public static async Task<(ImageUpload First, ImageUpload Second)> ReadPairAsync(HttpRequest request, string first, string second, CancellationToken ct)
    {
        if (!request.HasFormContentType)
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.UnsupportedMediaType,
                $"send multipart/form-data with two files, fields '{first}' and '{second}'");
        var uploads = await ReadAllAsync(request, 2, jsonAccepted: false, [first, second], ct).ConfigureAwait(false);
        ImageUpload Field(string name) => uploads.SingleOrDefault(u => u.Field == name)
            ?? throw ApiException.BadRequest($"missing file field '{name}': send two files, fields '{first}' and '{second}'");
        return (Field(first), Field(second));
    }

    private static async Task<IFormCollection> ReadFormAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            return await request.ReadFormAsync(ct).ConfigureAwait(false);
        }
        // The multipart reader reports a body that ends early as IOException and a bad section as
        // InvalidDataException; Kestrel's own limits (BadHttpRequestException, also an IOException) pass through.
        catch (Exception e) when (e is InvalidDataException || (e is IOException and not BadHttpRequestException && !ct.IsCancellationRequested))
        {
            throw ApiException.BadRequest($"malformed multipart body: {e.Message}");
        }
    }

    private static bool IsRawImage(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type))
            return false;
        return type.MediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase)
            || type.MediaType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        // Kestrel enforces the body size limit while this reads (BadHttpRequestException, 413).
        using var buffer = request.ContentLength is { } length ? new MemoryStream((int)Math.Min(length, int.MaxValue)) : new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct).ConfigureAwait(false);
        return buffer.ToArray();
    }
}
