using System.Globalization;
using System.Text.Json;
using ActorMq.DeadStore;
using Microsoft.AspNetCore.Http;

namespace ActorMq.Admin.Api;

/// <summary>The JSON endpoints under <c>{prefix}/api</c>: what each one reads or does.</summary>
internal static class AdminEndpoints
{
    /// <summary><c>GET api/overview</c>: link state, consumers, queue depths, totals.</summary>
    public static async Task<IResult> OverviewAsync(AdminContext admin, CancellationToken cancellationToken)
    {
        var client = admin.Client;
        var link = await client.GetLinkStateAsync(cancellationToken).ConfigureAwait(false);
        var running = (await client.GetConsumersAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.Consumer, StringComparer.Ordinal);
        var names = admin.Consumers.SelectMany(c => c.Tiers.Prepend(c.Queue)).ToList();
        var depths = names.Count == 0
            ? []
            : (await client.GetQueueDepthsAsync(names, cancellationToken).ConfigureAwait(false)).ToDictionary(d => d.Queue, StringComparer.Ordinal);
        var statistics = client.GetStatistics();
        var store = await admin.StoreAsync(cancellationToken).ConfigureAwait(false);
        var dead = await WaitingAsync(store, cancellationToken).ConfigureAwait(false);

        var consumers = admin.Consumers.Select(c =>
        {
            var here = running.GetValueOrDefault(c.Consumer);
            return new ConsumerModel(c.Consumer, c.Queue, here is not null, here?.Consuming ?? false, here?.InFlight ?? 0, here?.Waiting ?? 0,
                depths.TryGetValue(c.Queue, out var depth) && depth.Exists ? depth.Consumers : null,
                statistics.Queues.GetValueOrDefault(c.Queue) ?? new Diagnostics.QueueStatistics(0, 0, 0, 0, 0),
                here?.Breaker ?? Consuming.BreakerState.Closed);
        }).ToList();
        var queues = admin.Consumers.SelectMany(c => c.Tiers.Select(t => (Queue: t, Kind: "retry")).Prepend((Queue: c.Queue, Kind: "work")).Select(q =>
            depths.TryGetValue(q.Queue, out var depth)
                ? new QueueModel(c.Consumer, q.Queue, q.Kind, depth.Exists, depth.Exists ? depth.Messages : null, depth.Exists ? depth.Consumers : null)
                : new QueueModel(c.Consumer, q.Queue, q.Kind, null, null, null))).ToList();

        return Results.Json(new OverviewModel(new LinkModel(link.State, link.Endpoint, link.Reason, link.Since), consumers, queues, statistics, dead,
            admin.Settings.RefreshInterval.TotalSeconds, admin.Settings.ChartPoints), AdminJson.Options);
    }

    /// <summary><c>GET api/dead-letters</c>: one page of the rows matching the filter (newest first unless <c>sort</c>/<c>dir</c>), with the facets.</summary>
    public static async Task<IResult> ListAsync(AdminContext admin, HttpRequest request, CancellationToken cancellationToken)
    {
        var store = await admin.StoreAsync(cancellationToken).ConfigureAwait(false);
        var filter = FilterModel.FromQuery(request.Query);
        var page = Number(request.Query, "page", 1, int.MaxValue) ?? 1;
        var pageSize = Number(request.Query, "pageSize", 1, 500) ?? admin.Settings.PageSize;
        var (sortBy, order) = Sort(request.Query);
        var listing = await store.ListAsync(new DeadLetterQuery
        {
            Filter = filter.ToFilter(),
            SortBy = sortBy,
            Order = order,
            Offset = (int)Math.Min(int.MaxValue, (long)(page - 1) * pageSize),
            Limit = pageSize,
            IncludeBodies = false, // the list shows none; polled every few seconds, it must not read megabytes per row
        }, cancellationToken).ConfigureAwait(false);
        var rows = listing.Items.Select(record => DeadLetterViews.Row(record)).ToList();
        var counts = await store.CountAsync(DeadLetterFilter.All, cancellationToken).ConfigureAwait(false);
        var facets = new FacetsModel(
            counts.GroupBy(c => c.Queue, StringComparer.Ordinal).Select(g => new FacetModel(g.Key, g.Sum(c => c.Count))).OrderBy(f => f.Value, StringComparer.Ordinal).ToList(),
            counts.GroupBy(c => c.ErrorType, StringComparer.Ordinal).Select(g => new FacetModel(g.Key, g.Sum(c => c.Count))).OrderBy(f => f.Value, StringComparer.Ordinal).ToList(),
            counts.Sum(c => c.Count), await WaitingAsync(store, cancellationToken).ConfigureAwait(false));
        return Results.Json(new DeadLetterListModel(rows, listing.Total, page, pageSize, facets), AdminJson.Options);
    }

    /// <summary><c>GET api/dead-letters/groups</c>: the failure groups of the rows matching the filter (largest first, at most <c>limit</c>).</summary>
    public static async Task<IResult> GroupsAsync(AdminContext admin, HttpRequest request, CancellationToken cancellationToken)
    {
        var store = await admin.StoreAsync(cancellationToken).ConfigureAwait(false);
        var filter = FilterModel.FromQuery(request.Query).ToFilter();
        var limit = Number(request.Query, "limit", 1, 10_000) ?? 500;
        var groups = await store.GroupsAsync(filter, limit, cancellationToken).ConfigureAwait(false);
        return Results.Json(new GroupListModel(
            groups.Select(g => new GroupModel(g.Key, g.Queue, g.ErrorType, g.Pattern, g.TopFrames, g.Count, g.FirstSeen, g.LastSeen, g.SampleId)).ToList(),
            groups.Sum(g => g.Count)), AdminJson.Options);
    }

    /// <summary><c>GET api/dead-letters/{id}</c>: one row with properties, headers and body.</summary>
    public static async Task<IResult> DetailAsync(AdminContext admin, long id, CancellationToken cancellationToken)
    {
        var store = await admin.StoreAsync(cancellationToken).ConfigureAwait(false);
        var record = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return record is null
            ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"dead letter {id} not found in {store.Name}")
            : Results.Json(DeadLetterViews.Detail(record), AdminJson.Options);
    }

    /// <summary><c>GET api/dead-letters/{id}/body</c>: the whole body as a download (never rendered by the browser).</summary>
    public static async Task<IResult> BodyDownloadAsync(AdminContext admin, long id, CancellationToken cancellationToken)
    {
        var store = await admin.StoreAsync(cancellationToken).ConfigureAwait(false);
        var record = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return record is null
            ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"dead letter {id} not found in {store.Name}")
            : Results.File(record.Letter.Body.ToArray(), "application/octet-stream", $"dead-letter-{id}.bin");
    }

    /// <summary><c>POST api/dead-letters/replay</c>: replays the rows matching the filter (at most <c>limit</c>), audit-logged.</summary>
    public static async Task<IResult> ReplayAsync(AdminContext admin, HttpContext context)
    {
        var model = await BodyAsync(context).ConfigureAwait(false);
        if (model.Limit is < 1) throw new BadRequestException("limit: must be at least 1 (or absent for every matching row)");
        var who = Security.AdminGuard.Who(context);
        var describe = model.Describe();
        var limit = model.Limit?.ToString(CultureInfo.InvariantCulture) ?? "none";
        await admin.StoreAsync(context.RequestAborted).ConfigureAwait(false);
        AdminLog.ReplayStarted(admin.Logger, who, describe, limit);
        var result = await admin.Client.ReplayDeadLettersAsync(model.ToFilter(),
            new ReplayOptions { Limit = model.Limit, Claimant = $"admin:{who}:{Guid.NewGuid():N}" }, context.RequestAborted).ConfigureAwait(false);
        AdminLog.Replayed(admin.Logger, who, describe, limit, result.Replayed, result.Failed);
        return Results.Json(new ReplayModel(result.Replayed, result.Failed, result.Outcomes), AdminJson.Options);
    }

    /// <summary>
    /// <c>POST api/dead-letters/{id}/replay-edited</c>: replays one dead row with its body and/or headers changed; the stored
    /// row keeps its original body and headers, and the audit log records what was changed (sizes and digests, header names:
    /// never content).
    /// </summary>
    public static async Task<IResult> ReplayEditedAsync(AdminContext admin, HttpContext context, long id)
    {
        var model = await JsonBodyAsync<EditModel>(context, "the edit, e.g. {\"body\":\"...\"} or {\"headers\":{\"tenant\":{\"string\":\"acme\"}}}")
            .ConfigureAwait(false);
        var store = await admin.StoreAsync(context.RequestAborted).ConfigureAwait(false);
        var record = await store.GetAsync(id, context.RequestAborted).ConfigureAwait(false);
        if (record is null) return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"dead letter {id} not found in {store.Name}");
        if (record.State != DeadLetterState.Dead)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: $"dead letter {id} is {record.State}, not dead: only dead rows are replayed");
        var edit = DeadLetterEdits.Parse(model);
        var who = Security.AdminGuard.Who(context);
        var describe = DeadLetterEdits.Describe(record.Letter, edit);
        var outcome = await admin.Client.CreateReplayer().ReplayEditedAsync(id, edit, new ReplayOptions { Claimant = $"admin:{who}:{Guid.NewGuid():N}" },
            context.RequestAborted).ConfigureAwait(false);
        AdminLog.ReplayedEdited(admin.Logger, who, id, describe,
            outcome is null ? "not replayed (claimed by another replay meanwhile)" : outcome.Replayed ? "replayed" : $"publish failed: {outcome.Error}");
        return outcome is null
            ? Results.Problem(statusCode: StatusCodes.Status409Conflict, title: $"dead letter {id} was claimed by another replay meanwhile")
            : Results.Json(new ReplayModel(outcome.Replayed ? 1 : 0, outcome.Replayed ? 0 : 1, [outcome]), AdminJson.Options);
    }

    /// <summary><c>POST api/dead-letters/discard</c>: sets the matching dead rows aside, audit-logged.</summary>
    public static async Task<IResult> DiscardAsync(AdminContext admin, HttpContext context)
    {
        var model = await BodyAsync(context).ConfigureAwait(false);
        var store = await admin.StoreAsync(context.RequestAborted).ConfigureAwait(false);
        var discarded = await store.DiscardAsync(model.ToFilter(), context.RequestAborted).ConfigureAwait(false);
        AdminLog.Discarded(admin.Logger, Security.AdminGuard.Who(context), model.Describe(), discarded);
        return Results.Json(new CountModel(discarded), AdminJson.Options);
    }

    /// <summary><c>POST api/dead-letters/purge</c>: deletes the matching rows, audit-logged.</summary>
    public static async Task<IResult> PurgeAsync(AdminContext admin, HttpContext context)
    {
        var model = await BodyAsync(context).ConfigureAwait(false);
        var store = await admin.StoreAsync(context.RequestAborted).ConfigureAwait(false);
        var purged = await store.PurgeAsync(model.ToFilter(), context.RequestAborted).ConfigureAwait(false);
        AdminLog.Purged(admin.Logger, Security.AdminGuard.Who(context), model.Describe(), purged);
        return Results.Json(new CountModel(purged), AdminJson.Options);
    }

    /// <summary>How many rows wait in state dead: the one number the overview, the tab's badge and the list's "waiting" show.</summary>
    private static async Task<long> WaitingAsync(IDeadLetterStore store, CancellationToken cancellationToken) =>
        (await store.CountAsync(new DeadLetterFilter { States = [DeadLetterState.Dead] }, cancellationToken).ConfigureAwait(false)).Sum(c => c.Count);

    private static Task<FilterModel> BodyAsync(HttpContext context) =>
        JsonBodyAsync<FilterModel>(context, "the filter, e.g. {\"queue\":\"orders\"} or {} for every row");

    private static async Task<T> JsonBodyAsync<T>(HttpContext context, string expected)
        where T : class
    {
        if (context.Request.ContentLength is 0 || !context.Request.HasJsonContentType())
            throw new BadRequestException($"expected a JSON body (Content-Type: application/json) with {expected}");
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(context.Request.Body, AdminJson.Options, context.RequestAborted).ConfigureAwait(false)
                ?? throw new BadRequestException($"expected a JSON object with {expected}, got null");
        }
        catch (JsonException e)
        {
            throw new BadRequestException($"the JSON body is not {expected}: {e.Message}");
        }
    }

    /// <summary><c>sort</c> (id, deadAt, queue, errorType, attempts; default id) and <c>dir</c> (asc or desc; default desc).</summary>
    private static (DeadLetterSort SortBy, DeadLetterOrder Order) Sort(IQueryCollection query)
    {
        var sort = query.TryGetValue("sort", out var s) && !string.IsNullOrWhiteSpace(s) ? s.ToString().Trim() : "id";
        var dir = query.TryGetValue("dir", out var d) && !string.IsNullOrWhiteSpace(d) ? d.ToString().Trim() : "desc";
        var sortBy = sort switch
        {
            "id" => DeadLetterSort.Id,
            "deadAt" => DeadLetterSort.DeadAt,
            "queue" => DeadLetterSort.Queue,
            "errorType" => DeadLetterSort.ErrorType,
            "attempts" => DeadLetterSort.Attempts,
            _ => throw new BadRequestException($"sort: expected id, deadAt, queue, errorType or attempts, got '{Diagnostics.UntrustedText.OneLine(sort, 100)}'"),
        };
        var order = dir switch
        {
            "asc" => DeadLetterOrder.OldestFirst,
            "desc" => DeadLetterOrder.NewestFirst,
            _ => throw new BadRequestException($"dir: expected asc or desc, got '{Diagnostics.UntrustedText.OneLine(dir, 100)}'"),
        };
        return (sortBy, order);
    }

    private static int? Number(IQueryCollection query, string name, int min, int max)
    {
        if (!query.TryGetValue(name, out var value) || string.IsNullOrWhiteSpace(value)) return null;
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new BadRequestException($"{name}: expected an integer between {min} and {max}, got '{value}'");
    }
}
