using Faceprint.Gallery;
using Faceprint.Server.Errors;

namespace Faceprint.Server.Tests.Errors;

/// <summary>Every gallery error gets a status that says whose fault it was, never an unexplained 500 for bad input.</summary>
public sealed class ErrorClassificationTests
{
    [Fact]
    public void Gallery_errors_map_to_400_503_or_500_by_cause()
    {
        var inner = new InvalidOperationException("driver");
        Assert.Equal((400, ErrorCodes.InvalidRequest), Status(new InvalidPersonIdException("person id must not be empty")));
        Assert.Equal((400, ErrorCodes.InvalidRequest), Status(new GalleryException("embedding 0 has 3 values; the gallery holds 192-d embeddings")));
        Assert.Equal((503, ErrorCodes.GalleryBusy), Status(new GalleryLockedException("another connection holds its write lock", inner)));
        Assert.Equal((500, ErrorCodes.InternalError), Status(new GalleryStorageException("disk I/O error", inner)));
        Assert.Equal((404, ErrorCodes.UnknownPerson), Status(new UnknownPersonException("bob")));
    }

    [Fact]
    public void A_binding_failure_is_described_without_dotnet_type_names()
    {
        var (status, code, detail) = ErrorHandlingMiddleware.Classify(
            new Microsoft.AspNetCore.Http.BadHttpRequestException("Failed to bind parameter \"Nullable<float> threshold\" from \"high\"."), "r1");
        Assert.Equal((400, ErrorCodes.InvalidRequest, "parameter 'threshold' must be a number, got 'high'"), (status, code, detail));
    }

    private static (int, string) Status(Exception e)
    {
        var (status, code, _) = ErrorHandlingMiddleware.Classify(e, "r1");
        return (status, code);
    }
}
