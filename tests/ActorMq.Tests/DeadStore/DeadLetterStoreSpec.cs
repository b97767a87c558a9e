using System.Text;
using System.Collections.Concurrent;
using ActorMq.DeadStore;
using Xunit;
using static ActorMq.Tests.DeadStore.DeadLetterSamples;

namespace ActorMq.Tests.DeadStore;

/// <summary>
/// The behaviour every <see cref="IDeadLetterStore"/> must show. A provider's spec derives from it
/// and says how to make a store on a fresh, empty database for each test.
/// </summary>
public abstract class DeadLetterStoreSpec : IAsyncLifetime
{
    protected static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(5);
    private readonly List<IDeadLetterStore> _stores = [];

    protected ManualClock Clock { get; } = new(Epoch + TimeSpan.FromDays(1));

    /// <summary>
    /// A store on this test's database (the same database for every call within one test, so a second
    /// call gives a second, independent connection to it), not yet initialized.
    /// </summary>
    protected abstract IDeadLetterStore NewStore(TimeProvider clock);

    /// <summary>Runs before the first store is created.</summary>
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Removes this test's database after its stores are closed.</summary>
    protected abstract Task DeleteDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var store in _stores) await store.DisposeAsync();
        await DeleteDatabaseAsync();
    }

    protected async Task<IDeadLetterStore> OpenStoreAsync()
    {
        var store = NewStore(Clock);
        _stores.Add(store);
        await store.InitializeAsync();
        return store;
    }

    [Fact]
    public async Task Store_must_keep_text_with_lone_surrogates_replacing_only_them_and_the_rest_of_the_batch_with_it()
    {
        var store = await OpenStoreAsync();
        // An exception message cut in the middle of a surrogate pair, a lone low surrogate in the id, one in a header.
        var broken = Letter(errorMessage: "emoji cut in half: \uD83D") with
        {
            MessageId = "id-\uDE00-1",
            Headers = new Dictionary<string, object?> { ["note"] = "half \uD83D pair", ["ok"] = "\uD83D\uDE00 whole" },
        };

        var ids = await store.AddBatchAsync([Letter(errorMessage: "before"), broken, Letter(errorMessage: "after")]);

        Assert.Equal(3, ids.Count);
        var stored = (await store.GetAsync(ids[1]))!.Letter;
        Assert.Equal("emoji cut in half: \uFFFD", stored.ErrorMessage);
        Assert.Equal("id-\uFFFD-1", stored.MessageId);
        Assert.Equal("\uD83D\uDE00 whole", stored.Headers["ok"]);
        Assert.Equal("half \uFFFD pair", stored.Headers["note"]);
        Assert.Equal("after", (await store.GetAsync(ids[2]))!.Letter.ErrorMessage);
    }

    [Fact]
    public async Task Store_must_group_dead_letters_by_queue_error_type_masked_message_and_users_frames()
    {
        var store = await OpenStoreAsync();
        var ids = await store.AddBatchAsync(
        [
            Letter(errorMessage: "inventory timed out for order A-1", deadAt: Epoch),
            Letter(errorMessage: "payment refused: card 4242", errorType: "Shop.PaymentRefusedException", deadAt: Epoch + TimeSpan.FromSeconds(1)),
            Letter(errorMessage: "inventory timed out for order B-22", deadAt: Epoch + TimeSpan.FromSeconds(2)),
            Letter(errorMessage: "inventory timed out for order C-333", deadAt: Epoch + TimeSpan.FromSeconds(3)),
            Letter("payments", errorMessage: "inventory timed out for order D-4", deadAt: Epoch + TimeSpan.FromSeconds(4)),
        ]);

        var groups = await store.GroupsAsync(DeadLetterFilter.All);

        Assert.Equal([3L, 1L, 1L], groups.Select(g => g.Count));
        var inventory = groups[0];
        Assert.Equal(("orders", "System.TimeoutException", "inventory timed out for order <id>"), (inventory.Queue, inventory.ErrorType, inventory.Pattern));
        Assert.Equal(["Shop.Orders.Handle(OrderCreated message)"], inventory.TopFrames);
        Assert.Equal((Epoch, Epoch + TimeSpan.FromSeconds(3), ids[0]), (inventory.FirstSeen, inventory.LastSeen, inventory.SampleId));
        Assert.Matches("^[0-9a-f]{16}$", inventory.Key);
        Assert.Equal(inventory.Key, (await store.GetAsync(ids[2]))!.GroupKey);
        Assert.Equal([ids[1], ids[4]], groups.Skip(1).Select(g => g.SampleId).Order());

        // The rows of one group: listed, counted, discarded and replay-claimed by its key.
        var byGroup = new DeadLetterFilter { Group = inventory.Key };
        Assert.Equal([ids[0], ids[2], ids[3]], (await store.ListAsync(new DeadLetterQuery { Filter = byGroup, Limit = 10 })).Items.Select(r => r.Id));
        Assert.Equal([ids[0]], (await store.ClaimForReplayAsync(byGroup, 1, "test")).Select(r => r.Id));
        Assert.Equal(2, await store.DiscardAsync(byGroup));

        // Counts follow the filter: only dead rows leave two groups of one each.
        var dead = await store.GroupsAsync(new DeadLetterFilter { States = [DeadLetterState.Dead] });
        Assert.Equal([ids[1], ids[4]], dead.Select(g => g.SampleId).Order());
        Assert.Single(await store.GroupsAsync(DeadLetterFilter.All, limit: 1));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ListAsync(new DeadLetterQuery { Filter = new DeadLetterFilter { Group = "orders" }, Limit = 1 }));
    }

    [Fact]
    public async Task Store_must_return_a_dead_letter_byte_exact_with_every_header_type()
    {
        var store = await OpenStoreAsync();
        var letter = Letter(body: BinaryBody(), headers: AllHeaderTypes()) with
        {
            Properties = new DeadLetterProperties
            {
                ContentType = "application/octet-stream", ContentEncoding = "gzip", DeliveryMode = 2, Priority = 9,
                CorrelationId = "corr-1", ReplyTo = "replies", Expiration = "60000", MessageId = "m-1",
                Timestamp = 1_773_480_413, Type = "Blob", UserId = "guest", AppId = "shop", ClusterId = "c1",
            },
            FirstFailedAt = Epoch + TimeSpan.FromTicks(1234567),
        };

        var id = await store.AddAsync(letter);
        var stored = await store.GetAsync(id);

        Assert.NotNull(stored);
        Assert.Equal(id, stored.Id);
        AssertSameLetter(letter with { FirstFailedAt = Epoch + TimeSpan.FromTicks(1234560) }, stored.Letter);
        Assert.Equal(DeadLetterState.Dead, stored.State);
        Assert.Equal(0, stored.ReplayCount);
        Assert.Null(stored.ReplayedAt);
        Assert.Null(stored.ClaimedBy);
    }

    [Fact]
    public async Task Store_must_keep_an_empty_body_apart_from_nothing_and_unset_fields_unset()
    {
        var store = await OpenStoreAsync();
        var letter = new DeadLetter { Queue = "q", ErrorType = "E", ErrorMessage = "", DeadAt = Epoch, FirstFailedAt = Epoch };

        var stored = await store.GetAsync(await store.AddAsync(letter));

        Assert.NotNull(stored);
        AssertSameLetter(letter, stored.Letter);
        Assert.Null(stored.Letter.MessageId);
        Assert.Null(stored.Letter.ErrorDetail);
        Assert.Equal(DeadLetterProperties.None, stored.Letter.Properties);
        Assert.True(stored.Letter.Body.IsEmpty);
    }

    [Fact]
    public async Task Get_must_return_null_for_an_unknown_id()
    {
        var store = await OpenStoreAsync();
        Assert.Null(await store.GetAsync(424242));
    }

    [Fact]
    public async Task AddBatch_must_store_every_letter_and_return_their_ids_in_order()
    {
        var store = await OpenStoreAsync();
        var letters = Enumerable.Range(0, 250).Select(i => Letter(messageId: $"m{i}", queue: $"q{i % 3}")).ToList();

        var ids = await store.AddBatchAsync(letters);

        Assert.Equal(250, ids.Count);
        Assert.Equal(250, ids.Distinct().Count());
        Assert.Equal(ids.Order(), ids);
        for (var i = 0; i < letters.Count; i += 37)
        {
            var stored = await store.GetAsync(ids[i]);
            Assert.NotNull(stored);
            AssertSameLetter(letters[i], stored.Letter);
        }
        Assert.Equal(250, (await store.ListAsync(new DeadLetterQuery { Limit = 1 })).Total);
        Assert.Empty(await store.AddBatchAsync([]));
    }

    [Fact]
    public async Task AddBatch_must_store_nothing_when_one_letter_cannot_be_stored()
    {
        var store = await OpenStoreAsync();
        var bad = Letter() with { Headers = new Dictionary<string, object?> { ["when"] = DateTime.UtcNow } };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.AddBatchAsync([Letter(), bad, Letter()]));

        Assert.Contains("'when'", error.Message);
        Assert.Equal(0, (await store.ListAsync(new DeadLetterQuery { Limit = 10 })).Total);
    }

    [Fact]
    public async Task List_must_page_by_offset_in_either_order_and_report_the_total()
    {
        var store = await OpenStoreAsync();
        var ids = await store.AddBatchAsync(Enumerable.Range(0, 23).Select(_ => Letter()).ToList());

        var pages = new List<long>();
        for (var offset = 0; ; offset += 10)
        {
            var page = await store.ListAsync(new DeadLetterQuery { Offset = offset, Limit = 10 });
            Assert.Equal(23, page.Total);
            if (page.Items.Count == 0) break;
            pages.AddRange(page.Items.Select(r => r.Id));
        }
        Assert.Equal(ids, pages);

        var newest = await store.ListAsync(new DeadLetterQuery { Order = DeadLetterOrder.NewestFirst, Offset = 1, Limit = 2 });
        Assert.Equal([ids[21], ids[20]], newest.Items.Select(r => r.Id));
    }

    [Fact]
    public async Task List_must_sort_by_a_column_then_by_id_in_either_direction()
    {
        var store = await OpenStoreAsync();
        var ids = await store.AddBatchAsync(
        [
            Letter("payments", deadAt: Epoch + TimeSpan.FromSeconds(3)) with { Attempts = 2 },
            Letter("orders", "Shop.B", deadAt: Epoch + TimeSpan.FromSeconds(1)) with { Attempts = 5 },
            Letter("shipping", "Shop.A", deadAt: Epoch + TimeSpan.FromSeconds(2)) with { Attempts = 2 },
            Letter("orders", "Shop.C", deadAt: Epoch) with { Attempts = 1 },
        ]);

        async Task<IEnumerable<long>> Sorted(DeadLetterSort by, DeadLetterOrder order = DeadLetterOrder.OldestFirst) =>
            (await store.ListAsync(new DeadLetterQuery { SortBy = by, Order = order, Limit = 10, IncludeBodies = false })).Items.Select(r => r.Id);

        Assert.Equal([ids[3], ids[1], ids[2], ids[0]], await Sorted(DeadLetterSort.DeadAt));
        Assert.Equal([ids[1], ids[3], ids[0], ids[2]], await Sorted(DeadLetterSort.Queue));
        Assert.Equal([ids[2], ids[0], ids[3], ids[1]], await Sorted(DeadLetterSort.Queue, DeadLetterOrder.NewestFirst));
        Assert.Equal([ids[2], ids[1], ids[3], ids[0]], await Sorted(DeadLetterSort.ErrorType));
        Assert.Equal([ids[1], ids[2], ids[0], ids[3]], await Sorted(DeadLetterSort.Attempts, DeadLetterOrder.NewestFirst));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ListAsync(new DeadLetterQuery { SortBy = DeadLetterSort.Queue, AfterId = 1, Limit = 1 }));
    }

    [Fact]
    public async Task List_must_page_by_keyset_in_either_order()
    {
        var store = await OpenStoreAsync();
        var ids = await store.AddBatchAsync(Enumerable.Range(0, 17).Select(_ => Letter()).ToList());

        foreach (var order in new[] { DeadLetterOrder.OldestFirst, DeadLetterOrder.NewestFirst })
        {
            var seen = new List<long>();
            long? after = null;
            while (true)
            {
                var page = await store.ListAsync(new DeadLetterQuery { Order = order, AfterId = after, Limit = 5 });
                Assert.Equal(17, page.Total);
                if (page.Items.Count == 0) break;
                seen.AddRange(page.Items.Select(r => r.Id));
                after = page.Items[^1].Id;
            }
            Assert.Equal(order == DeadLetterOrder.OldestFirst ? ids : ids.Reverse(), seen);
        }
    }

    [Fact]
    public async Task Count_must_group_per_queue_and_error_type_under_the_filter()
    {
        var store = await OpenStoreAsync();
        await store.AddBatchAsync(
        [
            Letter("orders", "Timeout"), Letter("orders", "Timeout"), Letter("orders", "Json"),
            Letter("billing", "Timeout"), Letter("billing", "Timeout"), Letter("billing", "Timeout"),
        ]);
        await store.DiscardAsync(new DeadLetterFilter { Queue = "orders", ErrorType = "Json" });

        var all = await store.CountAsync(DeadLetterFilter.All);
        var dead = await store.CountAsync(new DeadLetterFilter { States = [DeadLetterState.Dead] });

        Assert.Equal(
            [new("billing", "Timeout", 3), new("orders", "Json", 1), new DeadLetterCount("orders", "Timeout", 2)],
            all);
        Assert.Equal([new("billing", "Timeout", 3), new DeadLetterCount("orders", "Timeout", 2)], dead);
        Assert.Empty(await store.CountAsync(new DeadLetterFilter { Queue = "nowhere" }));
    }

    [Fact]
    public async Task Filter_must_select_by_every_criterion_and_combine_them()
    {
        var store = await OpenStoreAsync();
        var ids = await store.AddBatchAsync(
        [
            Letter("orders", "Timeout", "timed out after 30s", "m-0", Epoch),
            Letter("orders", "Json", "unexpected token '}' at 12", "m-1", Epoch + TimeSpan.FromHours(1)),
            Letter("billing", "Timeout", "timed out after 5s", "m-2", Epoch + TimeSpan.FromHours(2)),
            Letter("billing", "Sql", "deadlock victim", "m-3", Epoch + TimeSpan.FromHours(3)),
        ]);
        await store.DiscardAsync(DeadLetterFilter.ById(ids[3]));

        async Task<long[]> Select(DeadLetterFilter filter) =>
            (await store.ListAsync(new DeadLetterQuery { Filter = filter, Limit = 100 })).Items.Select(r => r.Id).ToArray();

        Assert.Equal(ids, await Select(DeadLetterFilter.All));
        Assert.Equal([ids[0], ids[1]], await Select(new DeadLetterFilter { Queue = "orders" }));
        Assert.Equal([ids[0], ids[2]], await Select(new DeadLetterFilter { ErrorType = "Timeout" }));
        Assert.Equal([ids[2]], await Select(new DeadLetterFilter { Queue = "billing", ErrorType = "Timeout" }));
        Assert.Equal([ids[1]], await Select(new DeadLetterFilter { MessageId = "m-1" }));
        Assert.Equal([ids[0], ids[2]], await Select(new DeadLetterFilter { ErrorMessageContains = "timed out" }));
        Assert.Equal([ids[1]], await Select(new DeadLetterFilter { ErrorMessageContains = "'}'" }));
        Assert.Empty(await Select(new DeadLetterFilter { ErrorMessageContains = "TIMED" }));
        Assert.Empty(await Select(new DeadLetterFilter { ErrorMessageContains = "%" }));
        Assert.Equal([ids[1], ids[2]], await Select(new DeadLetterFilter { DeadFrom = Epoch + TimeSpan.FromHours(1), DeadBefore = Epoch + TimeSpan.FromHours(3) }));
        Assert.Equal([ids[3]], await Select(new DeadLetterFilter { DeadFrom = Epoch + TimeSpan.FromHours(3) }));
        Assert.Equal([ids[3]], await Select(new DeadLetterFilter { States = [DeadLetterState.Discarded] }));
        Assert.Equal(ids, await Select(new DeadLetterFilter { States = [DeadLetterState.Dead, DeadLetterState.Discarded] }));
        Assert.Empty(await Select(new DeadLetterFilter { States = [] }));
        Assert.Equal([ids[0], ids[3]], await Select(DeadLetterFilter.ByIds([ids[3], ids[0], 999_999])));
        Assert.Empty(await Select(DeadLetterFilter.ByIds([])));
    }

    [Fact]
    public async Task Search_must_find_rows_by_the_words_of_their_ids_error_headers_and_text_body_in_order_whatever_the_case()
    {
        var store = await OpenStoreAsync();
        var ids = await store.AddBatchAsync(
        [
            Letter("orders", "Shop.StockException", "Stock count mismatch for SKU-1138", "ord-7f3a", Epoch,
                body: Encoding.UTF8.GetBytes("""{"order":"A-77","customer":"Zoë Tanaka","lines":[{"sku":"SKU-1138","qty":2}]}""")),
            Letter("orders", "System.TimeoutException", "the handler timed out after 30s", "ord-8c2b", Epoch + TimeSpan.FromSeconds(1),
                headers: new Dictionary<string, object?> { ["tenant"] = "north-wind", ["trace"] = Encoding.UTF8.GetBytes("batch 4471") }),
            Letter("billing", "System.TimeoutException", "the gateway timed out", "bill-1", Epoch + TimeSpan.FromSeconds(2),
                body: [0xFF, 0xFE, 0x00, (byte)'c', (byte)'u', (byte)'s', (byte)'t', (byte)'o', (byte)'m', (byte)'e', (byte)'r']),
        ]);

        async Task<long[]> Search(string text, string? queue = null) =>
            (await store.ListAsync(new DeadLetterQuery { Filter = new() { Search = text, Queue = queue }, Limit = 100 })).Items.Select(r => r.Id).ToArray();

        Assert.Equal([ids[0]], await Search("ord-7f3a"));                      // message id
        Assert.Equal([ids[0]], await Search("stockexception"));                // error type
        Assert.Equal([ids[0]], await Search("count MISMATCH"));                // error message, any case
        Assert.Equal([ids[0]], await Search("zoë tanaka"));                    // JSON body text
        Assert.Equal([ids[0]], await Search("\"sku\": \"SKU-1138\""));       // punctuation is no word
        Assert.Equal([ids[1]], await Search("north wind"));                    // header value
        Assert.Equal([ids[1]], await Search("batch 4471"));                    // bytes header holding text
        Assert.Equal([ids[1], ids[2]], await Search("timed out"));
        Assert.Equal([ids[1], ids[2]], await Search("tim"));                    // the last word may be the start of one
        Assert.Equal([ids[2]], await Search("timed out", queue: "billing"));    // with the other criteria
        Assert.Empty(await Search("out timed"));                               // words in their order
        Assert.Empty(await Search("imed"));                                    // a word's start, not its middle
        Assert.Empty(await Search("customer", queue: "billing"));              // a body that is not UTF-8 has no words
        var count = await store.CountAsync(new DeadLetterFilter { Search = "timed out" });
        Assert.Equal(2, count.Sum(c => c.Count));

        Assert.Equal(1, await store.PurgeAsync(DeadLetterFilter.ById(ids[0]) with { States = [DeadLetterState.Dead] }));
        Assert.Empty(await Search("mismatch"));
        var again = await store.AddAsync(Letter(errorMessage: "stock count mismatch again"));
        Assert.Equal([again], await Search("count mismatch"));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.ListAsync(new DeadLetterQuery { Filter = new() { Search = " -- " }, Limit = 1 }));
        Assert.Contains("search: ' -- ' holds no letter or digit", error.Message);
    }

    [Fact]
    public async Task Rows_must_be_indexed_for_search_after_they_are_written_oldest_first_and_a_search_must_index_what_still_waits()
    {
        var store = await OpenStoreAsync();
        var ids = await store.AddBatchAsync([Letter(errorMessage: "alpha one"), Letter(errorMessage: "alpha two"), Letter(errorMessage: "alpha three")]);

        Assert.Equal(2, await store.IndexForSearchAsync(2));
        Assert.Equal(1, await store.IndexForSearchAsync(10));
        Assert.Equal(0, await store.IndexForSearchAsync(10));
        var later = await store.AddAsync(Letter(errorMessage: "alpha four"));

        // Nothing indexed the last row: the search does, before it runs.
        var found = await store.ListAsync(new DeadLetterQuery { Filter = new() { Search = "alpha" }, Limit = 10 });
        Assert.Equal([.. ids, later], found.Items.Select(r => r.Id));
        Assert.Equal(0, await store.IndexForSearchAsync(10));
        Assert.Equal(1, await store.DiscardAsync(new DeadLetterFilter { Search = "alpha two" }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.IndexForSearchAsync(0));
    }

    [Fact]
    public async Task Claim_must_move_the_oldest_dead_rows_to_replaying_up_to_the_limit()
    {
        var store = await OpenStoreAsync();
        var ids = await store.AddBatchAsync(Enumerable.Range(0, 5).Select(i => Letter(i % 2 == 0 ? "orders" : "billing")).ToList());

        var first = await store.ClaimForReplayAsync(new DeadLetterFilter { Queue = "orders" }, 1, "operator-a");
        var rest = await store.ClaimForReplayAsync(new DeadLetterFilter { Queue = "orders" }, 10, "operator-a");

        var one = Assert.Single(first);
        Assert.Equal(ids[0], one.Id);
        Assert.Equal(DeadLetterState.Replaying, one.State);
        Assert.Equal("operator-a", one.ClaimedBy);
        Assert.Equal(Clock.GetUtcNow(), one.ClaimedAt);
        Assert.Equal([ids[2], ids[4]], rest.Select(r => r.Id));
        Assert.Empty(await store.ClaimForReplayAsync(new DeadLetterFilter { Queue = "orders" }, 10, "operator-b"));
        Assert.Equal(DeadLetterState.Replaying, (await store.GetAsync(ids[4]))!.State);
        Assert.Equal(DeadLetterState.Dead, (await store.GetAsync(ids[1]))!.State);
    }

    [Fact]
    public async Task MarkReplayed_must_finish_only_the_claimants_own_claims()
    {
        var store = await OpenStoreAsync();
        var ids = await store.AddBatchAsync([Letter(), Letter(), Letter()]);
        await store.ClaimForReplayAsync(DeadLetterFilter.ByIds([ids[0], ids[1]]), 10, "operator-a");
        Clock.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(0, await store.MarkReplayedAsync([ids[0], ids[1]], "operator-b"));
        Assert.Equal(2, await store.MarkReplayedAsync([ids[0], ids[1], ids[2]], "operator-a"));
        Assert.Equal(0, await store.MarkReplayedAsync([ids[0]], "operator-a"));

        var replayed = (await store.GetAsync(ids[0]))!;
        Assert.Equal(DeadLetterState.Replayed, replayed.State);
        Assert.Equal(Clock.GetUtcNow(), replayed.ReplayedAt);
        Assert.Equal(1, replayed.ReplayCount);
        Assert.Equal(DeadLetterState.Dead, (await store.GetAsync(ids[2]))!.State);
        Assert.Empty(await store.ClaimForReplayAsync(DeadLetterFilter.ByIds([ids[0]]), 10, "operator-a"));
    }

    /// <summary>A letter dead-lettered from a copy of <paramref name="replayedFrom"/> replayed by the store <paramref name="storeId"/>, its headers as the broker delivers them (bytes).</summary>
    private static DeadLetter CopyOf(long replayedFrom, string storeId, string errorMessage = "failed again") => Letter(errorMessage: errorMessage, headers:
        new Dictionary<string, object?>
        {
            [DeadLetterReplayer.ReplayedFromHeader] = System.Text.Encoding.UTF8.GetBytes(replayedFrom.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            [DeadLetterReplayer.ReplayedFromStoreHeader] = System.Text.Encoding.UTF8.GetBytes(storeId),
            [DeadLetterReplayer.ReplayCountHeader] = 1,
        });

    private static async Task<long> ReplayedRowAsync(IDeadLetterStore store, string claimant = "operator-a")
    {
        var id = await store.AddAsync(Letter());
        Assert.Single(await store.ClaimForReplayAsync(DeadLetterFilter.ById(id), 1, claimant));
        Assert.Equal(1, await store.MarkReplayedAsync([id], claimant));
        return id;
    }

    [Fact]
    public async Task Store_must_have_one_id_for_every_connection_to_the_same_database()
    {
        var store = await OpenStoreAsync();
        var other = await OpenStoreAsync();

        var id = await store.GetIdAsync();

        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal(id, await other.GetIdAsync());
    }

    [Fact]
    public async Task MarkResolved_must_turn_replayed_rows_resolved_and_leave_every_other_state_alone()
    {
        var store = await OpenStoreAsync();
        var replayed = await ReplayedRowAsync(store);
        var dead = await store.AddAsync(Letter());
        var discarded = await store.AddAsync(Letter());
        await store.DiscardAsync(DeadLetterFilter.ById(discarded));
        Clock.Advance(TimeSpan.FromSeconds(7));

        Assert.Equal(1, await store.MarkResolvedAsync([replayed, dead, discarded, 9_999]));
        Assert.Equal(0, await store.MarkResolvedAsync([replayed]));

        var resolved = (await store.GetAsync(replayed))!;
        Assert.Equal(DeadLetterState.Resolved, resolved.State);
        Assert.Equal(Clock.GetUtcNow(), resolved.ResolvedAt);
        Assert.Equal(1, resolved.ReplayCount);
        Assert.Equal(DeadLetterState.Dead, (await store.GetAsync(dead))!.State);
        Assert.Equal(DeadLetterState.Discarded, (await store.GetAsync(discarded))!.State);
        Assert.Empty(await store.ClaimForReplayAsync(DeadLetterFilter.ById(replayed), 1, "operator-b"));
        Assert.Equal([replayed], (await store.ListAsync(new DeadLetterQuery { Filter = new() { States = [DeadLetterState.Resolved] }, Limit = 10 })).Items.Select(r => r.Id));
    }

    [Fact]
    public async Task A_copy_handled_before_its_replay_is_marked_must_stay_resolved_and_still_count_as_replayed_once()
    {
        var store = await OpenStoreAsync();
        var id = await store.AddAsync(Letter());
        Assert.Single(await store.ClaimForReplayAsync(DeadLetterFilter.ById(id), 1, "operator-a"));

        // The consumer is quicker than the replayer's batched mark.
        Assert.Equal(1, await store.MarkResolvedAsync([id]));
        Assert.Equal(1, await store.MarkReplayedAsync([id], "operator-a"));
        Assert.Equal(0, await store.MarkReplayedAsync([id], "operator-a"));

        var row = (await store.GetAsync(id))!;
        Assert.Equal(DeadLetterState.Resolved, row.State);
        Assert.Equal(1, row.ReplayCount);
        Assert.NotNull(row.ReplayedAt);
        Assert.Equal(0, await store.ReleaseClaimAsync([id], "operator-a", "too late"));
        Assert.Equal(DeadLetterState.Resolved, (await store.GetAsync(id))!.State);
    }

    [Fact]
    public async Task A_replayed_copy_that_dies_again_must_link_its_new_row_to_the_old_one_which_becomes_failed_again()
    {
        var store = await OpenStoreAsync();
        var replayed = await ReplayedRowAsync(store);
        var storeId = await store.GetIdAsync();

        var again = await store.AddAsync(CopyOf(replayed, storeId));
        var batch = await store.AddBatchAsync([Letter(), CopyOf(again, storeId, "and again")]);

        var old = (await store.GetAsync(replayed))!;
        Assert.Equal(DeadLetterState.FailedAgain, old.State);
        Assert.Equal(again, old.FailedAgainId);
        var newer = (await store.GetAsync(again))!;
        Assert.Equal(replayed, newer.ReplayedFrom);
        // The new row is dead like any other (its own copy was never replayed: the second link does not take).
        Assert.Equal(DeadLetterState.Dead, newer.State);
        Assert.Null(newer.FailedAgainId);
        Assert.Equal(again, (await store.GetAsync(batch[1]))!.ReplayedFrom);
        Assert.Null((await store.GetAsync(batch[0]))!.ReplayedFrom);
    }

    [Fact]
    public async Task A_copy_replayed_by_another_store_must_not_touch_the_row_with_the_same_id_here()
    {
        var store = await OpenStoreAsync();
        var replayed = await ReplayedRowAsync(store);

        var id = await store.AddAsync(CopyOf(replayed, "0123456789abcdef0123456789abcdef"));

        Assert.Null((await store.GetAsync(id))!.ReplayedFrom);
        Assert.Equal(DeadLetterState.Replayed, (await store.GetAsync(replayed))!.State);
    }

    [Fact]
    public async Task A_resolved_row_must_stay_resolved_when_a_duplicate_of_its_copy_dies_later()
    {
        var store = await OpenStoreAsync();
        var replayed = await ReplayedRowAsync(store);
        await store.MarkResolvedAsync([replayed]);

        var duplicate = await store.AddAsync(CopyOf(replayed, await store.GetIdAsync()));

        Assert.Equal(DeadLetterState.Resolved, (await store.GetAsync(replayed))!.State);
        Assert.Equal(replayed, (await store.GetAsync(duplicate))!.ReplayedFrom);
    }

    [Fact]
    public async Task ReleaseClaim_must_return_rows_to_dead_with_the_error_so_a_later_replay_takes_them()
    {
        var store = await OpenStoreAsync();
        var id = await store.AddAsync(Letter());
        await store.ClaimForReplayAsync(DeadLetterFilter.All, 10, "operator-a");

        Assert.Equal(0, await store.ReleaseClaimAsync([id], "operator-b", "not mine"));
        Assert.Equal(1, await store.ReleaseClaimAsync([id], "operator-a", "publish not confirmed: NOT_FOUND - no queue 'orders'"));

        var released = (await store.GetAsync(id))!;
        Assert.Equal(DeadLetterState.Dead, released.State);
        Assert.Equal("publish not confirmed: NOT_FOUND - no queue 'orders'", released.ReplayError);
        Assert.Equal(0, released.ReplayCount);

        var again = Assert.Single(await store.ClaimForReplayAsync(DeadLetterFilter.All, 10, "operator-b"));
        Assert.Equal(1, await store.MarkReplayedAsync([again.Id], "operator-b"));
        var done = (await store.GetAsync(id))!;
        Assert.Equal(1, done.ReplayCount);
        Assert.Null(done.ReplayError);
    }

    [Fact]
    public async Task Claim_must_take_over_a_claim_older_than_the_claim_timeout()
    {
        var store = await OpenStoreAsync();
        var id = await store.AddAsync(Letter());
        Assert.Single(await store.ClaimForReplayAsync(DeadLetterFilter.All, 10, "crashed"));

        Clock.Advance(ClaimTimeout - TimeSpan.FromSeconds(1));
        Assert.Empty(await store.ClaimForReplayAsync(DeadLetterFilter.All, 10, "operator-b"));

        Clock.Advance(TimeSpan.FromSeconds(2));
        var taken = Assert.Single(await store.ClaimForReplayAsync(DeadLetterFilter.All, 10, "operator-b"));
        Assert.Equal(id, taken.Id);
        Assert.Equal("operator-b", taken.ClaimedBy);
        Assert.Equal(0, await store.MarkReplayedAsync([id], "crashed"));
        Assert.Equal(1, await store.MarkReplayedAsync([id], "operator-b"));
    }

    [Fact]
    public async Task Claim_must_take_dead_rows_and_stale_claims_together_oldest_first_up_to_the_limit()
    {
        var store = await OpenStoreAsync();
        var ids = await store.AddBatchAsync([Letter(), Letter(), Letter(), Letter()]);
        Assert.Equal([ids[1]], (await store.ClaimForReplayAsync(DeadLetterFilter.ById(ids[1]), 1, "crashed")).Select(r => r.Id));
        Clock.Advance(ClaimTimeout + TimeSpan.FromSeconds(1));

        Assert.Equal([ids[0], ids[1], ids[2]], (await store.ClaimForReplayAsync(DeadLetterFilter.All, 3, "b")).Select(r => r.Id));
        Assert.Equal([ids[3]], (await store.ClaimForReplayAsync(DeadLetterFilter.All, 3, "c")).Select(r => r.Id));
    }

    [Fact]
    public async Task Claim_must_ignore_replayed_and_discarded_rows_and_honour_a_state_criterion()
    {
        var store = await OpenStoreAsync();
        var ids = await store.AddBatchAsync([Letter(), Letter(), Letter()]);
        await store.DiscardAsync(DeadLetterFilter.ById(ids[0]));
        await store.ClaimForReplayAsync(DeadLetterFilter.ById(ids[1]), 1, "a");
        await store.MarkReplayedAsync([ids[1]], "a");

        Assert.Empty(await store.ClaimForReplayAsync(new DeadLetterFilter { States = [DeadLetterState.Replayed, DeadLetterState.Discarded] }, 10, "b"));
        Assert.Equal([ids[2]], (await store.ClaimForReplayAsync(DeadLetterFilter.All, 10, "b")).Select(r => r.Id));
    }

    [Fact]
    public async Task Concurrent_claims_on_two_connections_must_never_return_the_same_row()
    {
        var first = await OpenStoreAsync();
        var second = await OpenStoreAsync();
        await first.AddBatchAsync(Enumerable.Range(0, 400).Select(i => Letter($"q{i % 4}")).ToList());

        var claimed = new ConcurrentBag<(long Id, string Claimant)>();
        Task Drain(IDeadLetterStore store, string claimant) => Task.Factory.StartNew(async () =>
        {
            while (true)
            {
                var rows = await store.ClaimForReplayAsync(DeadLetterFilter.All, 7, claimant);
                if (rows.Count == 0) return;
                foreach (var row in rows) claimed.Add((row.Id, claimant));
                await store.MarkReplayedAsync(rows.Select(r => r.Id).ToList(), claimant);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

        await Task.WhenAll(Drain(first, "a1"), Drain(second, "b1"), Drain(first, "a2"), Drain(second, "b2"));

        Assert.Equal(400, claimed.Count);
        Assert.Equal(400, claimed.Select(c => c.Id).Distinct().Count());
        var replayed = await first.ListAsync(new DeadLetterQuery { Filter = new DeadLetterFilter { States = [DeadLetterState.Replayed] }, Limit = 1 });
        Assert.Equal(400, replayed.Total);
        var all = await first.ListAsync(new DeadLetterQuery { Limit = 400 });
        Assert.All(all.Items, r => Assert.Equal(1, r.ReplayCount));
    }

    [Fact]
    public async Task Discard_must_set_aside_only_dead_rows_matching_the_filter()
    {
        var store = await OpenStoreAsync();
        var ids = await store.AddBatchAsync([Letter("orders"), Letter("orders"), Letter("billing"), Letter("orders")]);
        await store.ClaimForReplayAsync(DeadLetterFilter.ById(ids[3]), 1, "a");

        Assert.Equal(2, await store.DiscardAsync(new DeadLetterFilter { Queue = "orders" }));
        Assert.Equal(0, await store.DiscardAsync(new DeadLetterFilter { Queue = "orders" }));

        Assert.Equal(DeadLetterState.Discarded, (await store.GetAsync(ids[0]))!.State);
        Assert.Equal(DeadLetterState.Dead, (await store.GetAsync(ids[2]))!.State);
        Assert.Equal(DeadLetterState.Replaying, (await store.GetAsync(ids[3]))!.State);
        Assert.Empty(await store.ClaimForReplayAsync(DeadLetterFilter.ById(ids[0]), 1, "b"));
    }

    [Fact]
    public async Task Purge_must_delete_matching_rows_but_keep_live_claims()
    {
        var store = await OpenStoreAsync();
        var ids = await store.AddBatchAsync([Letter("orders"), Letter("orders"), Letter("billing"), Letter("orders")]);
        await store.ClaimForReplayAsync(DeadLetterFilter.ById(ids[3]), 1, "a");

        Assert.Equal(2, await store.PurgeAsync(new DeadLetterFilter { Queue = "orders" }));
        Assert.Null(await store.GetAsync(ids[0]));
        Assert.NotNull(await store.GetAsync(ids[2]));
        Assert.NotNull(await store.GetAsync(ids[3]));

        Clock.Advance(ClaimTimeout + TimeSpan.FromSeconds(1));
        Assert.Equal(2, await store.PurgeAsync(DeadLetterFilter.All));
        Assert.Equal(0, (await store.ListAsync(new DeadLetterQuery { Limit = 1 })).Total);

        var next = await store.AddAsync(Letter());
        Assert.True(next > ids[^1], "ids are never reused after a purge");
    }

    [Fact]
    public async Task Initialize_must_be_idempotent_and_keep_the_rows()
    {
        var store = await OpenStoreAsync();
        var id = await store.AddAsync(Letter());

        await store.InitializeAsync();
        var second = await OpenStoreAsync();
        await Task.WhenAll(store.InitializeAsync(), second.InitializeAsync());

        Assert.NotNull(await second.GetAsync(id));
        Assert.Equal(1, (await second.ListAsync(new DeadLetterQuery { Limit = 10 })).Total);
    }

    [Fact]
    public async Task Store_must_honour_a_cancelled_token_before_doing_anything()
    {
        var store = await OpenStoreAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.AddAsync(Letter(), cancelled.Token));
        Assert.Equal(0, (await store.ListAsync(new DeadLetterQuery { Limit = 1 })).Total);
    }
}
