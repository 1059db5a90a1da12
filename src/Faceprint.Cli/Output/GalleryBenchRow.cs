namespace Faceprint.Cli.Output;

/// <summary>
/// One row of the gallery section of <c>faceprint bench --gallery</c>: identify latency (top 10 people) of one store
/// at one gallery size and embedding length, and for the approximate store its recall@1 against exact search.
/// </summary>
/// <param name="Store"><c>memory</c> (exact scan), <c>pgvector-hnsw</c> (the system PostgreSQL) or
/// <c>pgvector-hnsw-pglite</c> (the PGlite fallback, PostgreSQL in WebAssembly).</param>
/// <param name="Templates">Templates in the gallery (two per person).</param>
/// <param name="Dimension">Embedding length.</param>
/// <param name="Threads">Threads one search may use (in-memory store only).</param>
/// <param name="Probes">Timed searches, random unit vectors.</param>
/// <param name="P50Ms">Median milliseconds per search.</param>
/// <param name="P99Ms">99th percentile milliseconds per search.</param>
/// <param name="CpuMs">CPU milliseconds this process spent per search (all its threads; for pgvector only the client's
/// share). On a shared machine, where the wall-clock times include waiting for a core, this shows the work itself.</param>
/// <param name="LoadSeconds">Seconds to enrol the whole gallery (for pgvector including the HNSW index upkeep).</param>
/// <param name="RecallAt1">Share of probes whose top person equals exact search's (pgvector only).</param>
/// <param name="EfSearch">HNSW candidate list size (pgvector only).</param>
internal sealed record GalleryBenchRow(
    string Store, int Templates, int Dimension, int? Threads, int Probes, double P50Ms, double P99Ms, double CpuMs, double LoadSeconds, double? RecallAt1, int? EfSearch);
