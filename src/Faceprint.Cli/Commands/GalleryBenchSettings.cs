namespace Faceprint.Cli.Commands;

/// <summary>What the gallery section of <c>faceprint bench</c> measures.</summary>
/// <param name="Sizes">Gallery sizes in templates.</param>
/// <param name="Dimensions">Embedding lengths.</param>
/// <param name="Probes">Timed searches per store.</param>
/// <param name="Threads">Threads one in-memory search may use (and concurrent pgvector writers while loading).</param>
/// <param name="PgvectorMaxSize">Largest gallery also loaded into pgvector (building HNSW at a million rows takes long).</param>
internal sealed record GalleryBenchSettings(int[] Sizes, int[] Dimensions, int Probes, int Threads, int PgvectorMaxSize);
