using Microsoft.Extensions.Logging;

namespace ActorMq.Cli.Terminal;

/// <summary>Log lines (<c>warn: Category: message</c>) to a text writer: the CLI's standard error, or a test's writer.</summary>
internal sealed class TextWriterLoggerProvider(TextWriter writer) : ILoggerProvider
{
    private readonly object _gate = new();

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private void Write(LogLevel level, string category, string message, Exception? exception)
    {
        var tag = level switch
        {
            LogLevel.Trace => "trce", LogLevel.Debug => "dbug", LogLevel.Information => "info",
            LogLevel.Warning => "warn", LogLevel.Error => "fail", _ => "crit",
        };
        lock (_gate)
        {
            writer.WriteLine($"{tag}: {category}: {message}");
            if (exception is not null) writer.WriteLine($"      {exception.GetType().FullName}: {exception.Message}");
        }
    }

    private sealed class Logger(TextWriterLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            provider.Write(logLevel, category, formatter(state, exception), exception);
        }
    }
}
