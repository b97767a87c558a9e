using Akka.Actor;
using Akka.Event;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;
using MelLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace ActorMq.Tests.Shared;

/// <summary>One captured log line: from a host's logger factory or from an actor system's event stream.</summary>
/// <param name="Level">The level.</param>
/// <param name="Category">The logger category (for Akka: the logging class, e.g. <c>ActorMq.Consuming.ConsumerActor</c>).</param>
/// <param name="Message">The formatted message.</param>
/// <param name="Exception">The exception logged with it, if any.</param>
public sealed record LogEntry(MelLogLevel Level, string Category, string Message, Exception? Exception);

/// <summary>
/// Keeps every log line for assertions and echoes it to the test output: as a logger factory (for hosts), and from an
/// Akka actor system's event stream (<see cref="Capture"/>), where ActorMq's actors log.
/// </summary>
public sealed class CapturedLogs(ITestOutputHelper? output = null) : ILoggerFactory
{
    private readonly object _gate = new();
    private readonly List<LogEntry> _entries = [];

    /// <summary>The entries captured from index <paramref name="start"/> on.</summary>
    public IReadOnlyList<LogEntry> Since(int start)
    {
        lock (_gate) return _entries.Skip(start).ToList();
    }

    /// <summary>Captures the log events of <paramref name="system"/> (debug and up, as its log level lets through).</summary>
    public void Capture(ActorSystem system) =>
        system.EventStream.Subscribe(system.ActorOf(Props.Create(() => new Listener(this)), $"captured-logs-{Guid.NewGuid():N}"), typeof(LogEvent));

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc />
    public void AddProvider(ILoggerProvider provider) { }

    /// <inheritdoc />
    public void Dispose() { }

    private void Add(LogEntry entry)
    {
        lock (_gate) _entries.Add(entry);
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

    private static MelLogLevel ToMel(Akka.Event.LogLevel level) => level switch
    {
        Akka.Event.LogLevel.DebugLevel => MelLogLevel.Debug,
        Akka.Event.LogLevel.InfoLevel => MelLogLevel.Information,
        Akka.Event.LogLevel.WarningLevel => MelLogLevel.Warning,
        _ => MelLogLevel.Error,
    };

    private sealed class Listener : ReceiveActor
    {
        public Listener(CapturedLogs logs) =>
            Receive<LogEvent>(e => logs.Add(new LogEntry(ToMel(e.LogLevel()), e.LogClass?.FullName ?? e.LogSource, e.Message?.ToString() ?? "", e.Cause)));
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(MelLogLevel logLevel) => logLevel != MelLogLevel.None;

        public void Log<TState>(MelLogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(new LogEntry(logLevel, category, formatter(state, exception), exception));
    }
}
