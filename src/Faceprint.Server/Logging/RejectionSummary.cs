using System.Collections.Concurrent;

namespace Faceprint.Server.Logging;

/// <summary>
/// Counts requests refused by the rate limiter and logs them as one summary line per interval instead of one line
/// each: a client hammering the service must not be able to fill the disk with log lines about being refused.
/// </summary>
internal sealed partial class RejectionSummary : IDisposable
{
    /// <summary>How often a summary is written while rejections happen.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private ConcurrentDictionary<string, int> _byKey = new(StringComparer.Ordinal);

    /// <summary>Starts the summary timer.</summary>
    public RejectionSummary(ILogger<RejectionSummary> logger, TimeProvider? time = null)
    {
        _logger = logger;
        _timer = (time ?? TimeProvider.System).CreateTimer(_ => Flush(), null, Interval, Interval);
    }

    /// <summary>Counts one refused request of API key <paramref name="keyId"/>.</summary>
    public void Count(string keyId) => _byKey.AddOrUpdate(keyId, 1, (_, n) => n + 1);

    /// <summary>Logs what was counted since the last summary, if anything.</summary>
    public void Flush()
    {
        var counted = Interlocked.Exchange(ref _byKey, new ConcurrentDictionary<string, int>(StringComparer.Ordinal));
        if (counted.IsEmpty)
            return;
        string keys = string.Join(", ", counted.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"));
        LogSummary(counted.Values.Sum(), keys);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _timer.Dispose();
        Flush();
    }

    [LoggerMessage(EventId = 4, EventName = "RateLimited", Level = LogLevel.Warning,
        Message = "{Count} requests refused by the rate limit since the last summary (by key: {Keys})")]
    private partial void LogSummary(int count, string keys);
}
