namespace ActorMq.DeadStore;

/// <summary>
/// The dead-letter store is unavailable or an operation on it failed: the SQLite file is locked,
/// read-only or not a database, the PostgreSQL server is down or refused the statement. The message
/// names the store (<see cref="Store"/>) and the operation (<see cref="Operation"/>). Callers treat it
/// as "try again later": nothing was committed by the failed operation.
/// </summary>
public sealed class DeadStoreException : ActorMqException
{
    /// <summary>Creates the exception for <paramref name="operation"/> on <paramref name="store"/>.</summary>
    /// <param name="store">Names the store, e.g. <c>sqlite '/var/lib/app/actormq-dead.db'</c>.</param>
    /// <param name="operation">The operation that failed, e.g. <c>add</c> or <c>claim for replay</c>.</param>
    /// <param name="reason">What went wrong, in the store's words.</param>
    /// <param name="innerException">The driver's exception, if any.</param>
    public DeadStoreException(string store, string operation, string reason, Exception? innerException = null)
        : base($"dead-letter store {store}: {operation} failed: {reason}", innerException)
    {
        Store = store;
        Operation = operation;
    }

    /// <summary>Names the store that failed: its provider and its file or server (never a password).</summary>
    public string Store { get; }

    /// <summary>The store operation that failed, e.g. <c>add</c>, <c>initialize</c>, <c>claim for replay</c>.</summary>
    public string Operation { get; }
}
