using System.Net.Http.Headers;

namespace Faceprint.Server.Tests.Support;

/// <summary>The test photos and request bodies made from them.</summary>
internal static class Images
{
    /// <summary>Same person as <see cref="Img2"/>.</summary>
    public const string Img1 = "img1.jpeg";

    /// <summary>Same person as <see cref="Img1"/>.</summary>
    public const string Img2 = "img2.jpeg";

    /// <summary>Another person, 1168x998.</summary>
    public const string Img3 = "img3.jpeg";

    /// <summary>Another person, 112x131.</summary>
    public const string Face0 = "face0.jpg";

    /// <summary>A WebP photo (435 KB, 1350x1800) of another person.</summary>
    public const string Img47 = "img47.jpg";

    /// <summary>Dogs, no human face.</summary>
    public const string Dogs = "dogs.jpg";

    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    public static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));

    /// <summary>The image as a raw request body.</summary>
    public static ByteArrayContent Raw(string name, string contentType = "image/jpeg") => Raw(Bytes(name), contentType);

    /// <summary>Bytes as a raw request body.</summary>
    public static ByteArrayContent Raw(byte[] data, string contentType = "image/jpeg")
    {
        var content = new ByteArrayContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }

    /// <summary>A multipart form with one file per (field, image) pair.</summary>
    public static MultipartFormDataContent Form(params (string Field, string Image)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (field, image) in files)
            form.Add(Raw(image), field, image);
        return form;
    }
}
