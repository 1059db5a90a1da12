using System.Text.Json;
using Faceprint.Gallery.Postgres;
using Faceprint.Tests.Cli;
using Faceprint.Tests.Gallery;
using Faceprint.Tests.Storage;

namespace Faceprint.Tests.Bench;

/// <summary>
/// <c>faceprint bench --gallery</c> end to end on a small gallery, pgvector included. It sets FACEPRINT_PGLITE for
/// real (as <c>./faceprint</c> does), so it is in the non-parallel <see cref="ProcessEnvironmentCollection"/>.
/// </summary>
[Collection(nameof(ProcessEnvironmentCollection))]
public sealed class GalleryBenchCommandTests
{
    [Fact]
    public async Task Json_has_a_memory_and_a_pgvector_row_with_recall()
    {
        var saved = Environment.GetEnvironmentVariable(ScratchPostgresServer.PgliteFolderVariable);
        try
        {
            Environment.SetEnvironmentVariable(ScratchPostgresServer.PgliteFolderVariable, PostgresFixture.PgliteFolder);
            var run = await CliRun.StartAsync("bench", "--gallery", "--gallery-sizes", "300", "--gallery-dims", "16", "--gallery-probes", "20", "--json");

            Assert.True(run.ExitCode == 0, run.ToString());
            using var doc = JsonDocument.Parse(run.Stdout);
            Assert.False(doc.RootElement.TryGetProperty("pgvector_skipped", out _), run.ToString());
            var rows = doc.RootElement.GetProperty("gallery").EnumerateArray().ToList();
            Assert.Equal(2, rows.Count);
            Assert.Equal("memory", rows[0].GetProperty("store").GetString());
            // Named for the backend that ran: on Debian 12 the PGlite fallback, elsewhere the system PostgreSQL.
            Assert.Contains(rows[1].GetProperty("store").GetString(), new[] { "pgvector-hnsw", "pgvector-hnsw-pglite" });
            Assert.All(rows, r => Assert.Equal((300, 16, 20), (r.GetProperty("templates").GetInt32(), r.GetProperty("dimension").GetInt32(), r.GetProperty("probes").GetInt32())));
            Assert.All(rows, r => Assert.True(r.GetProperty("p99_ms").GetDouble() >= r.GetProperty("p50_ms").GetDouble()));
            // 300 templates and ef_search 400: the HNSW search sees every template, so it agrees with the exact scan.
            Assert.Equal(1.0, rows[1].GetProperty("recall_at1").GetDouble());
        }
        finally
        {
            Environment.SetEnvironmentVariable(ScratchPostgresServer.PgliteFolderVariable, saved);
        }
    }
}
