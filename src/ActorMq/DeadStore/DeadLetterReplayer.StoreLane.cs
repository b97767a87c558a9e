using System.Collections.Concurrent;

namespace ActorMq.DeadStore;

public sealed partial class DeadLetterReplayer
{
    /// <summary>
    /// The thread a replay's store calls start on: one of its own for the replay's lifetime, as the DeadStoreActor has its
    /// pinned dispatcher. A store may block its caller for the whole call (SQLite does: a claim of a batch returns its rows
    /// only when they are read); on the thread pool such a call held a pool thread, and a claim and a mark at once held two,
    /// one of them only waiting for the store's lock, which on a small machine left the pool without a thread for the
    /// publishers' confirms until it grew. Here the calls queue, in the order they are asked for, and run one after another
    /// on this thread. A call that completes later (an asynchronous store) only starts here.
    /// </summary>
    private sealed class StoreLane : IDisposable
    {
        private readonly BlockingCollection<Action> _calls = new();

        public StoreLane()
        {
            new Thread(Drain) { IsBackground = true, Name = "actormq-replay-store" }.Start();
        }

        /// <summary>Queues <paramref name="call"/>; its outcome, on the thread pool (continuations never run on the lane).</summary>
        public Task<T> Run<T>(Func<Task<T>> call)
        {
            var outcome = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            _calls.Add(() =>
            {
                try
                {
                    _ = Forward(call(), outcome);
                }
                catch (Exception e)
                {
                    outcome.TrySetException(e);
                }
            });
            return outcome.Task;
        }

        /// <summary>No more calls: the thread ends once the queued ones ran.</summary>
        public void Dispose() => _calls.CompleteAdding();

        private void Drain()
        {
            foreach (var call in _calls.GetConsumingEnumerable()) call();
            _calls.Dispose();
        }

        private static async Task Forward<T>(Task<T> call, TaskCompletionSource<T> outcome)
        {
            try
            {
                outcome.TrySetResult(await call.ConfigureAwait(false));
            }
            catch (OperationCanceledException e)
            {
                outcome.TrySetCanceled(e.CancellationToken);
            }
            catch (Exception e)
            {
                outcome.TrySetException(e);
            }
        }
    }
}
