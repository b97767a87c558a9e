using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace ActorMq.TestKit;

/// <summary>One log entry written through a TestKit system's logger factory.</summary>
/// <param name="Level">The level.</param>
/// <param name="Category">The logger category.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="Exception">The exception logged with it, if any.</param>
public sealed record LogEntry(LogLevel Level, string Category, string Message, Exception? Exception);

/// <summary>
/// The logger factory of a TestKit system: keeps every entry for <c>EventFilter</c>
/// assertions and echoes it to the test output (and to another factory, if given).
/// </summary>
public sealed class CapturedLogs : ILoggerFactory
{
    private readonly object gate = new();
    private readonly List<LogEntry> entries = new();
    private readonly ITestOutputHelper? output;
    private readonly ILoggerFactory? inner;

    /// <summary>Creates the factory.</summary>
    public CapturedLogs(ITestOutputHelper? output = null, ILoggerFactory? inner = null)
    {
        this.output = output;
        this.inner = inner;
    }

    /// <summary>How many entries were captured so far.</summary>
    public int Count
    {
        get
        {
            lock (gate) return entries.Count;
        }
    }

    /// <summary>The entries captured from index <paramref name="start"/> on.</summary>
    public IReadOnlyList<LogEntry> Since(int start)
    {
        lock (gate) return entries.Skip(start).ToList();
    }

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName, inner?.CreateLogger(categoryName));

    /// <inheritdoc />
    public void AddProvider(ILoggerProvider provider) => inner?.AddProvider(provider);

    /// <inheritdoc />
    public void Dispose() { }

    private void Add(LogEntry entry)
    {
        lock (gate) entries.Add(entry);
        if (output is null) return;
        try
        {
            output.WriteLine($"[{entry.Level}] {entry.Category}: {entry.Message}{(entry.Exception is null ? "" : Environment.NewLine + entry.Exception)}");
        }
        catch (InvalidOperationException)
        {
            // the test has finished; its output is closed
        }
    }

    private sealed class Logger(CapturedLogs owner, string category, ILogger? inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner?.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            owner.Add(new LogEntry(logLevel, category, formatter(state, exception), exception));
            inner?.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
