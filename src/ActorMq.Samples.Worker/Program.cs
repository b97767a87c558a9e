using ActorMq;
using ActorMq.Admin;
using ActorMq.Consuming;
using ActorMq.Hosting;
using ActorMq.Hosting.HealthChecks;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddScoped<OrdersDb>();           // your services; scoped = one per delivery
builder.Services.AddActorMqClient();              // IPublisher and ActorMqClient in DI (endpoints, the admin page)
builder.Services.AddHealthChecks();               // ASP.NET's health check service: Akka.Hosting adds its checks to it
builder.Services.AddAkka("orders", (akka, _) => akka
    .ConfigureLoggers(logging =>                  // Akka's logs, ActorMq's included, go to Microsoft.Extensions.Logging
    {
        logging.ClearLoggers();
        logging.AddLoggerFactory();
    })
    .AddHoconFile(Path.Combine(AppContext.BaseDirectory, "app.conf"), HoconAddMode.Append) // before WithActorMq: see "Configuration precedence"
    .WithActorMq(mq =>
    {
        mq.ConnectionUris = [builder.Configuration["ActorMq:Uri"] ?? "amqp://localhost:5672/"];
        mq.Password = builder.Configuration["ActorMq:Password"]; // null = the URI's or app.conf's
        mq.AddHandler<OrderPlaced, OrderPlacedHandler>("orders");
    })
    .WithActorSystemLivenessCheck()
    .WithActors((system, registry) =>
        registry.Register<OrderStats>(system.ActorOf(Props.Create(() => new OrderStatsActor()), "order-stats"))));

var app = builder.Build();
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ActorMqHealthCheckTags.Liveness) });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ActorMqHealthCheckTags.Readiness) });
app.MapActorMqAdmin("/actormq");                  // the admin page, on the same store (loopback only by default)

app.MapPost("/orders", async (OrderPlaced order, IPublisher publisher, CancellationToken cancellationToken) =>
{
    await publisher.SendAsync("orders", order, cancellationToken: cancellationToken); // completes on the broker's confirm
    return Results.Accepted();
});
app.MapGet("/orders/stats", async (IRequiredActor<OrderStats> stats, CancellationToken cancellationToken) =>
    Results.Ok(await stats.ActorRef.Ask<StatsReply>(GetStats.Instance, TimeSpan.FromSeconds(5), cancellationToken)));

app.Run();

public sealed record OrderPlaced(string OrderId, decimal Total);

/// <summary>One handler and one DI scope per delivery: inject scoped services and registered actors freely.</summary>
public sealed class OrderPlacedHandler(OrdersDb db, IRequiredActor<OrderStats> stats, ILogger<OrderPlacedHandler> logger) : IMessageHandler<OrderPlaced>
{
    public async Task HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken)
    {
        await db.SaveAsync(message, cancellationToken);   // throw = retried through orders.retry.* tiers, then dead-stored
        stats.ActorRef.Tell(message);
        logger.LogInformation("Order {OrderId} stored (attempt {Attempt})", message.OrderId, context.Attempt);
    }
}

/// <summary>The ActorRegistry key of the stats actor.</summary>
public sealed class OrderStats;

public sealed record GetStats
{
    public static readonly GetStats Instance = new();
}

public sealed record StatsReply(int Orders);

public sealed class OrderStatsActor : ReceiveActor
{
    private int _orders;

    public OrderStatsActor()
    {
        Receive<OrderPlaced>(_ => _orders++);
        Receive<GetStats>(_ => Sender.Tell(new StatsReply(_orders)));
    }
}

/// <summary>Stands for your storage (a DbContext): scoped, one per delivery.</summary>
public sealed class OrdersDb
{
    public Task SaveAsync(OrderPlaced order, CancellationToken cancellationToken) => Task.CompletedTask;
}
