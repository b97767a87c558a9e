namespace ActorMq.Admin;

/// <summary>Options of <see cref="ActorMqAdminEndpoints.MapActorMqAdmin(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder, string, Action{ActorMqAdminOptions}?)"/>.</summary>
public sealed class ActorMqAdminOptions
{
    /// <summary>The client the page shows and replays through; null = the <see cref="ActorMqClient"/> registered in DI.</summary>
    public ActorMqClient? Client { get; set; }

    /// <summary>The page's settings; null = <c>actormq.admin</c> of the client's actor system configuration.</summary>
    public AdminSettings? Settings { get; set; }
}
