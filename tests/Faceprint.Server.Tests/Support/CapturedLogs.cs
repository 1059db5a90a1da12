using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Faceprint.Server.Tests.Support;

/// <summary>A logger provider that keeps every event (message and structured values) for assertions.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedEvent> _events = new();

    /// <summary>Everything logged so far.</summary>
    public IReadOnlyList<CapturedEvent> Events => [.. _events];

    /// <summary>All events as text, structured values included, for "never logged" checks.</summary>
    public string AllText => string.Join('\n', _events.Select(e => e.ToString()));

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _events);

    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<CapturedEvent> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
            events.Enqueue(new CapturedEvent(category, logLevel, eventId.Name, formatter(state, exception),
                values.ToDictionary(kv => kv.Key, kv => kv.Value?.ToString()), exception?.ToString()));
        }
    }
}

/// <summary>One captured log event.</summary>
internal sealed record CapturedEvent(string Category, LogLevel Level, string? EventName, string Message, IReadOnlyDictionary<string, string?> Values, string? Exception)
{
    public override string ToString() =>
        $"{Category} {Level} {EventName}: {Message} {string.Join(' ', Values.Select(kv => $"{kv.Key}={kv.Value}"))} {Exception}";
}
