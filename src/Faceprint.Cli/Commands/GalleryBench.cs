using System.Diagnostics;
using Faceprint.Cli.Output;
using Faceprint.Gallery;
using Faceprint.Gallery.Postgres;

namespace Faceprint.Cli.Commands;

/// <summary>
/// The gallery section of <c>faceprint bench</c>: identify latency over random galleries in the in-memory store
/// (exact scan on a fixed number of threads) and in pgvector (HNSW, on a throwaway local server), with pgvector's
/// recall@1 against the exact result for the same probes.
/// </summary>
internal sealed class GalleryBench(GalleryBenchSettings settings, Action<string> notice)
{
    private const int TemplatesPerPerson = 2;
    private const int TopK = 10;
    private const int WarmUp = 3;
    private const string Model = "bench-random@1";

    /// <summary>Store name of the pgvector rows when the throwaway server is the PGlite fallback.</summary>
    public const string PgvectorOnPglite = "pgvector-hnsw-pglite";

    /// <summary>Why the pgvector rows are missing, if they are.</summary>
    public string? PgvectorSkipped { get; private set; }

    /// <summary>Runs every size and dimension; <paramref name="tick"/> after each store measured.</summary>
    public async Task<IReadOnlyList<GalleryBenchRow>> RunAsync(Action tick, CancellationToken ct)
    {
        var rows = new List<GalleryBenchRow>();
        await using var server = await StartPostgresAsync(ct);
        foreach (int dimension in settings.Dimensions)
            foreach (int size in settings.Sizes)
            {
                using var memory = new InMemoryGalleryStore(Model, dimension) { SearchThreads = settings.Threads };
                double load = await LoadAsync(memory, size, dimension, 1, ct);
                var probes = Probes(dimension);
                var (p50, p99, cpu, exact) = await TimeAsync(memory, probes, ct);
                rows.Add(new GalleryBenchRow("memory", size, dimension, settings.Threads, probes.Length, p50, p99, cpu, load, null, null));
                tick();

                if (server is null || size > settings.PgvectorMaxSize)
                    continue;
                await using var pg = await PgvectorGalleryStore.OpenAsync(await server.CreateDatabaseAsync(ct), Model, dimension, ct);
                double pgLoad = await LoadAsync(pg, size, dimension, settings.Threads, ct);
                var (pgP50, pgP99, pgCpu, found) = await TimeAsync(pg, probes, ct);
                double recall = found.Zip(exact).Count(pair => pair.First == pair.Second) / (double)probes.Length;
                rows.Add(new GalleryBenchRow(PgvectorStoreName(server.Backend), size, dimension, null, probes.Length, pgP50, pgP99, pgCpu, pgLoad, recall, pg.EfSearch));
                tick();
            }

        return rows;
    }

    /// <summary>The rows' store name: PGlite figures are labelled as such, being no measure of native PostgreSQL.</summary>
    private static string PgvectorStoreName(ScratchPostgresBackend backend) =>
        backend == ScratchPostgresBackend.Pglite ? PgvectorOnPglite : "pgvector-hnsw";

    private async Task<ScratchPostgresServer?> StartPostgresAsync(CancellationToken ct)
    {
        if (settings.Sizes.All(s => s > settings.PgvectorMaxSize))
        {
            PgvectorSkipped = $"every gallery size is above --gallery-pg-max {settings.PgvectorMaxSize}";
            return null;
        }

        try
        {
            return await ScratchPostgresServer.StartAsync(cancellationToken: ct);
        }
        catch (PostgresUnavailableException e)
        {
            PgvectorSkipped = e.Message;
            notice($"pgvector part skipped: {e.Message}");
            return null;
        }
    }

    /// <summary>Enrols <paramref name="size"/> random templates, two per person, the same ones for every store.</summary>
    private static async Task<double> LoadAsync(IGalleryStore store, int size, int dimension, int writers, CancellationToken ct)
    {
        int people = (size + TemplatesPerPerson - 1) / TemplatesPerPerson;
        var started = Stopwatch.GetTimestamp();
        // Each person's vectors come from a generator seeded by the person, so every store gets identical data
        // whatever order the writers run in.
        await Parallel.ForEachAsync(Enumerable.Range(0, people), new ParallelOptions { MaxDegreeOfParallelism = writers, CancellationToken = ct }, async (p, token) =>
        {
            var rng = new Random(HashCode.Combine(dimension, p));
            int count = Math.Min(TemplatesPerPerson, size - p * TemplatesPerPerson);
            var embeddings = new float[count][];
            for (int i = 0; i < count; i++)
                embeddings[i] = RandomVector(rng, dimension);
            await store.AddAsync($"person-{p:D7}", embeddings, null, token);
        });
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private float[][] Probes(int dimension)
    {
        var rng = new Random(dimension);
        return Enumerable.Range(0, settings.Probes).Select(_ => RandomVector(rng, dimension)).ToArray();
    }

    private static async Task<(double P50, double P99, double CpuMs, string[] TopPeople)> TimeAsync(IGalleryStore store, float[][] probes, CancellationToken ct)
    {
        for (int i = 0; i < WarmUp; i++)
            await store.SearchAsync(probes[i % probes.Length], TopK, ct);

        var times = new double[probes.Length];
        var top = new string[probes.Length];
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        for (int i = 0; i < probes.Length; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var matches = await store.SearchAsync(probes[i], TopK, ct);
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            top[i] = matches[0].PersonId;
        }

        process.Refresh();
        double cpuMs = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / probes.Length;
        Array.Sort(times);
        return (times[(times.Length - 1) / 2], times[Math.Max(0, (int)Math.Ceiling(0.99 * times.Length) - 1)], cpuMs, top);
    }

    // Uniform components: cheap enough to fill a million 512-d templates in seconds, and as hard for the scan.
    private static float[] RandomVector(Random rng, int dimension)
    {
        var v = new float[dimension];
        for (int i = 0; i < dimension; i++)
            v[i] = rng.NextSingle() * 2 - 1;
        return v;
    }
}
