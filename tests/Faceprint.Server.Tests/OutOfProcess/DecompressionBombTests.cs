using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Buffers.Binary;
using System.Text.RegularExpressions;
using Faceprint.Server.Configuration;
using Faceprint.Server.Tests.Support;
using Faceprint.Tests.Support;
using Xunit.Abstractions;

namespace Faceprint.Server.Tests.OutOfProcess;

/// <summary>
/// A 40 Mpx zero-filled PNG (about 120 KB on the wire, the default pixel limit exactly) sent four times at once to
/// the real <c>faceprint serve</c> process: the peak resident memory must stay under 600 MB, and each request must be
/// answered (reduced decode) rather than hang or take the process down.
/// </summary>
[Collection(ServerCollection.Name)]
[Trait("Category", "Load")]
public sealed class DecompressionBombTests(ITestOutputHelper output) : IDisposable
{
    private const long PeakLimitBytes = 600_000_000;
    private readonly string _folder = Directory.CreateTempSubdirectory("faceprint-bomb-").FullName;

    [Fact]
    public async Task Four_40_Mpx_PNG_bombs_at_once_keep_the_server_under_600_MB_and_are_all_answered()
    {
        string key = "bomb-" + Guid.NewGuid().ToString("N");
        using var server = ServerProcess.Start(
            ["serve", "--urls", "http://127.0.0.1:0", "--db", Path.Combine(_folder, "g.db"), "--home", TestPaths.ModelHome],
            new Dictionary<string, string?> { [ServerConfigFile.ApiKeysVariable] = $"bomb:{key}" });
        using var client = new HttpClient { BaseAddress = await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(90)), Timeout = TimeSpan.FromMinutes(3) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        byte[] bomb = ZeroPng(8000, 5000);
        long before = ResidentBytes(server.Id, "VmRSS");

        var requests = Enumerable.Range(0, 4).Select(async _ =>
        {
            var clock = Stopwatch.StartNew();
            var response = await client.PostAsync("/v1/detect", Images.Raw(bomb, "image/png"));
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(), clock.Elapsed);
        }).ToArray();
        var answers = await Task.WhenAll(requests);
        long peak = ResidentBytes(server.Id, "VmHWM");

        output.WriteLine($"{bomb.Length / 1000} KB PNG of 8000x5000 x4 at once: RSS {before / 1e6:F0} MB before, peak {peak / 1e6:F0} MB; " +
            $"answers {string.Join(", ", answers.Select(a => $"{(int)a.StatusCode} in {a.Elapsed.TotalSeconds:F2} s"))}");
        Assert.All(answers, a => Assert.True(a.StatusCode == HttpStatusCode.OK, $"{(int)a.StatusCode}: {a.Body}"));
        Assert.All(answers, a => Assert.Contains("\"width\":8000", a.Body, StringComparison.Ordinal));
        Assert.True(peak < PeakLimitBytes, $"peak resident memory {peak / 1e6:F0} MB");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>An RGB PNG of zeros, compressed row by row so the test never holds the raw image either.</summary>
    internal static byte[] ZeroPng(int width, int height)
    {
        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[1 + width * 3];
            for (int y = 0; y < height; y++)
                z.Write(row);
        }

        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = 2;
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(png, "IHDR", ihdr);
        WriteChunk(png, "IDAT", idat.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        var head = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        System.Text.Encoding.ASCII.GetBytes(type, head.AsSpan(4));
        png.Write(head);
        png.Write(data);
        var sum = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(sum, Crc32([.. head.AsSpan(4), .. data]));
        png.Write(sum);
    }

    /// <summary>The CRC-32 PNG chunks carry (reflected polynomial 0xEDB88320), bit by bit: chunks here are few and small.</summary>
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int i = 0; i < 8; i++)
                crc = (crc >> 1) ^ (0xEDB88320 & (uint)-(int)(crc & 1));
        }

        return ~crc;
    }

    /// <summary>A memory figure of /proc/PID/status in bytes (VmRSS now, VmHWM the peak).</summary>
    private static long ResidentBytes(int pid, string field)
    {
        string status = File.ReadAllText($"/proc/{pid}/status");
        var match = Regex.Match(status, $@"^{field}:\s+(\d+) kB", RegexOptions.Multiline);
        return long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
