using ActorMq.Connection;
using ActorMq.DeadStore;
using ActorMq.Diagnostics;

namespace ActorMq.Admin.Api;

/// <summary>The overview: the link, consumers, queue depths, totals for the chart.</summary>
internal sealed record OverviewModel(
    LinkModel Link, IReadOnlyList<ConsumerModel> Consumers, IReadOnlyList<QueueModel> Queues, ActorMqStatistics Statistics, long DeadLetters,
    double RefreshSeconds, int ChartPoints);

/// <summary>The broker link.</summary>
internal sealed record LinkModel(LinkState State, string? Endpoint, string? Reason, DateTimeOffset Since);

/// <summary>
/// A consumer: here (its state in this process, its circuit breaker) and on the broker (consumers on its queue), with its
/// totals. <paramref name="Waiting"/> counts the deliveries it holds while its breaker is not closed.
/// </summary>
internal sealed record ConsumerModel(
    string Name, string Queue, bool RunsHere, bool Consuming, int InFlight, int Waiting, long? BrokerConsumers, QueueStatistics Totals,
    Consuming.BreakerState Breaker);

/// <summary>A work queue or retry tier and its depth; <paramref name="Exists"/> false or null depth when unknown.</summary>
internal sealed record QueueModel(string Consumer, string Queue, string Kind, bool? Exists, long? Messages, long? Consumers);

/// <summary>One page of dead letters with the facets for the filter lists.</summary>
internal sealed record DeadLetterListModel(IReadOnlyList<DeadLetterRowModel> Items, long Total, int Page, int PageSize, FacetsModel Facets);

/// <summary>
/// The values the filters offer, with counts over every row; <paramref name="Waiting"/> is how many rows are in state
/// dead (the tab's badge, and the overview's "dead letters waiting").
/// </summary>
internal sealed record FacetsModel(IReadOnlyList<FacetModel> Queues, IReadOnlyList<FacetModel> ErrorTypes, long Total, long Waiting);

/// <summary>One facet value.</summary>
internal sealed record FacetModel(string Value, long Count);

/// <summary>A row of the list.</summary>
internal sealed record DeadLetterRowModel(
    long Id, string? MessageId, string Queue, string ErrorType, string ErrorMessage, int Attempts, DateTimeOffset DeadAt, DeadLetterState State,
    int ReplayCount, DateTimeOffset? ReplayedAt, string? ReplayError, string? Group, long? ReplayedFrom, long? FailedAgainId, DateTimeOffset? ResolvedAt);

/// <summary>The failure groups matching the filter, largest first.</summary>
internal sealed record GroupListModel(IReadOnlyList<GroupModel> Items, long Total);

/// <summary>
/// One failure group: its key (the <c>group</c> filter), queue, error type, masked message, top frames of the user's code,
/// how many rows, first and last seen, and its oldest row.
/// </summary>
internal sealed record GroupModel(
    string Key, string Queue, string ErrorType, string Pattern, IReadOnlyList<string> TopFrames, long Count, DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen, long SampleId);

/// <summary>The detail view.</summary>
internal sealed record DeadLetterDetailModel(
    DeadLetterRowModel Row, string Exchange, string RoutingKey, string? ErrorDetail, DateTimeOffset FirstFailedAt, DateTimeOffset? ClaimedAt,
    string? ClaimedBy, IReadOnlyList<NamedValue> Properties, IReadOnlyList<HeaderModel> Headers, BodyModel Body, string HeadersJson);

/// <summary>
/// JSON body of <c>POST api/dead-letters/{id}/replay-edited</c>: what to change before replaying; an absent field keeps the
/// stored value. <paramref name="Body"/> is UTF-8 text, <paramref name="BodyBase64"/> bytes (at most one of the two);
/// <paramref name="Headers"/> replaces every header, in the store's tagged form (<c>{"tenant": {"string": "acme"}}</c>).
/// </summary>
internal sealed record EditModel(string? Body, string? BodyBase64, System.Text.Json.JsonElement? Headers);

/// <summary>A property and its value as text.</summary>
internal sealed record NamedValue(string Name, string Value);

/// <summary>A header: its name, AMQP type and value as text.</summary>
internal sealed record HeaderModel(string Name, string Type, string Value);

/// <summary>
/// The body: its size, and as pretty JSON (when it is JSON), as text (when it is UTF-8 and not already sent as JSON) and
/// as a hex dump; <paramref name="Truncated"/> when it is longer than the detail view sends (the download has all of it).
/// </summary>
internal sealed record BodyModel(int Size, string? Json, string? Text, string Hex, bool HexTruncated, bool Truncated);

/// <summary>A replay's result.</summary>
internal sealed record ReplayModel(int Replayed, int Failed, IReadOnlyList<ReplayOutcome> Outcomes);

/// <summary>A discard's or purge's result.</summary>
internal sealed record CountModel(int Count);
