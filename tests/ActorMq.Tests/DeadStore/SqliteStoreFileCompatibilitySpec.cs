using ActorMq.DeadStore;
using ActorMq.DeadStore.Sqlite;
using Xunit;
using static ActorMq.Tests.DeadStore.DeadLetterSamples;

namespace ActorMq.Tests.DeadStore;

/// <summary>A store file written by an earlier ActorMq (<see cref="StoreFixture"/>) opens and reads unchanged.</summary>
public sealed class SqliteStoreFileCompatibilitySpec : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actormq-fixture-").FullName;
    private readonly ManualClock _clock = new(Epoch + TimeSpan.FromMinutes(3));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A copy of the committed file (the store writes to it), and a store on that copy.</summary>
    private (SqliteDeadLetterStore Store, string Path) OpenCopy()
    {
        var path = Path.Combine(_directory, StoreFixture.FileName);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "DeadStore", "Fixtures", StoreFixture.FileName), path);
        var settings = new DeadStoreSettings("sqlite", TimeSpan.FromMinutes(5),
            new SqliteStoreSettings(path, TimeSpan.FromSeconds(10), SqliteSynchronous.Full), new PostgreSqlStoreSettings("", "", TimeSpan.FromSeconds(30)));
        return (new SqliteDeadLetterStore(settings, _clock), path);
    }

    [Fact]
    public async Task Sqlite_store_must_read_a_file_written_by_the_earlier_binding_unchanged()
    {
        var (store, _) = OpenCopy();
        await using var _s = store;
        await store.InitializeAsync();

        var page = await store.ListAsync(new DeadLetterQuery { Filter = DeadLetterFilter.All with { States = Enum.GetValues<DeadLetterState>() }, Limit = 100 });

        var expected = StoreFixture.Letters();
        Assert.Equal(expected.Count, page.Total);
        var records = page.Items.OrderBy(r => r.Id).ToList();
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(i + 1, records[i].Id);
            AssertSameLetter(expected[i], records[i].Letter);
        }
        Assert.Equal([DeadLetterState.Dead, DeadLetterState.Dead, DeadLetterState.Replayed, DeadLetterState.Replaying, DeadLetterState.Discarded],
            records.Select(r => r.State));
        Assert.Equal(Epoch + TimeSpan.FromMinutes(1), records[2].ReplayedAt);
        Assert.Equal(1, records[2].ReplayCount);
        Assert.Equal("fixture-stale-claimant", records[3].ClaimedBy);
        Assert.Equal(Epoch + TimeSpan.FromMinutes(2), records[3].ClaimedAt);
    }

    [Fact]
    public async Task Sqlite_store_must_go_on_writing_and_claiming_in_a_file_written_by_the_earlier_binding()
    {
        var (store, _) = OpenCopy();
        await using var _s = store;
        await store.InitializeAsync();

        var id = await store.AddAsync(Letter("payments", messageId: "m-payments-3"));
        Assert.Equal(6, id);
        // Two minutes after its claim, the earlier claim of m-payments-2 is not stale yet (timeout five minutes).
        var claimed = await store.ClaimForReplayAsync(new DeadLetterFilter { Queue = "payments" }, 10, "new-replayer");
        Assert.Equal([6L], claimed.Select(r => r.Id));
        _clock.Advance(TimeSpan.FromMinutes(5));
        await store.ReleaseClaimAsync([6], "new-replayer");
        claimed = await store.ClaimForReplayAsync(new DeadLetterFilter { Queue = "payments" }, 10, "new-replayer");
        Assert.Equal([4L, 6L], claimed.Select(r => r.Id));
        Assert.Equal(2, await store.MarkReplayedAsync([4, 6], "new-replayer"));
        var counts = await store.CountAsync(new DeadLetterFilter { States = [DeadLetterState.Dead] });
        Assert.Equal([("orders", 2L)], counts.GroupBy(c => c.Queue).Select(g => (g.Key, g.Sum(c => c.Count))));
    }

    [Fact]
    public async Task Sqlite_store_must_never_hand_out_an_id_twice_across_the_table_rebuild_of_its_migration()
    {
        var (store, path) = OpenCopy();
        await using var _s = store;
        // The newest row was purged before the upgrade: its id stays used (replay lineage refers to rows by id).
        using (var raw = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            raw.Open();
            using var delete = raw.CreateCommand();
            delete.CommandText = "DELETE FROM dead_letters WHERE id = 5";
            Assert.Equal(1, delete.ExecuteNonQuery());
        }
        await store.InitializeAsync();

        Assert.Equal(6, await store.AddAsync(Letter("payments")));
        Assert.Matches("^[0-9a-f]{32}$", await store.GetIdAsync());
        var all = DeadLetterFilter.All with { States = Enum.GetValues<DeadLetterState>() };
        Assert.Equal([1L, 2, 3, 4, 6], (await store.ListAsync(new DeadLetterQuery { Filter = all, Limit = 100 })).Items.Select(r => r.Id));
    }

    [Fact]
    public async Task Sqlite_store_must_give_the_rows_of_an_earlier_version_their_failure_group_when_it_migrates()
    {
        var (store, _) = OpenCopy();
        await using var _s = store;
        await store.InitializeAsync();

        var all = DeadLetterFilter.All with { States = Enum.GetValues<DeadLetterState>() };
        var page = await store.ListAsync(new DeadLetterQuery { Filter = all, Limit = 100 });
        Assert.All(page.Items, r => Assert.Equal(DeadLetterFingerprint.Of(r.Letter).Key, r.GroupKey));
        var groups = await store.GroupsAsync(all);
        Assert.Equal(page.Total, groups.Sum(g => g.Count));
        Assert.Contains(groups, g => g.Queue == "payments" && g.Count == 2);
    }

    [Fact]
    public async Task Sqlite_store_must_index_the_rows_of_an_earlier_version_for_search_when_it_migrates()
    {
        var (store, _) = OpenCopy();
        await using var _s = store;
        await store.InitializeAsync();

        var all = DeadLetterFilter.All with { States = Enum.GetValues<DeadLetterState>() };
        var page = await store.ListAsync(new DeadLetterQuery { Filter = all, Limit = 100 });
        Assert.NotEmpty(page.Items);
        foreach (var row in page.Items)
        {
            var words = string.Join(' ', DeadLetterSearch.IndexText(row.Letter).Split(' ').Take(4));
            var found = await store.ListAsync(new DeadLetterQuery { Filter = all with { Search = words }, Limit = 100 });
            Assert.Contains(row.Id, found.Items.Select(r => r.Id));
        }
    }
}
