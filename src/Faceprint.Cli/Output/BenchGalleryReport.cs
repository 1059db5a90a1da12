namespace Faceprint.Cli.Output;

/// <summary>
/// JSON of <c>faceprint bench --gallery</c>: the model rows (only when <c>--models</c> is also given), the gallery rows,
/// and why the pgvector rows are missing, if they are.
/// </summary>
internal sealed record BenchGalleryReport(IReadOnlyList<BenchRow> Models, IReadOnlyList<GalleryBenchRow> Gallery, string? PgvectorSkipped);
