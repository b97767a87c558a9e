using ActorMq.Admin.Api;
using ActorMq.Admin.Page;
using ActorMq.Admin.Security;
using ActorMq.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorMq.Admin;

/// <summary>Mounts the ActorMq admin page into an ASP.NET Core application.</summary>
public static class ActorMqAdminEndpoints
{
    /// <summary>
    /// Maps the admin page at <paramref name="prefix"/> (the HTML page at <c>{prefix}/</c>, its JSON API under
    /// <c>{prefix}/api</c>). Every endpoint admits only loopback clients unless <c>actormq.admin</c> configures
    /// credentials, and every POST needs the page's anti-forgery token. The application refuses to start when it listens
    /// beyond loopback without credentials.
    /// </summary>
    /// <param name="endpoints">The application (e.g. a <c>WebApplication</c>).</param>
    /// <param name="prefix">The path the page lives under, e.g. <c>/actormq</c>; <c>/</c> for the root.</param>
    /// <param name="configure">The client and settings, when not the defaults (the DI client and its configuration).</param>
    /// <returns>The route group, to add conventions such as <c>RequireHost</c>.</returns>
    public static RouteGroupBuilder MapActorMqAdmin(this IEndpointRouteBuilder endpoints, string prefix = "/actormq", Action<ActorMqAdminOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var options = new ActorMqAdminOptions();
        configure?.Invoke(options);
        var normalized = "/" + prefix.Trim('/');
        var services = endpoints.ServiceProvider;
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger(AdminLog.Category) ?? NullLogger.Instance;
        var context = new Lazy<AdminContext>(() =>
        {
            var client = options.Client ?? services.GetService<ActorMqClient>() ?? throw new InvalidOperationException(
                "MapActorMqAdmin: no ActorMqClient is registered in the service provider; register one or pass it (MapActorMqAdmin(prefix, o => o.Client = client))");
            return new AdminContext(client, options.Settings ?? AdminSettings.Create(client.System.Settings.Config), logger);
        }, LazyThreadSafetyMode.ExecutionAndPublication);
        var settings = new Lazy<AdminSettings>(() => options.Settings ?? context.Value.Settings);
        GuardListening(endpoints, settings, logger);

        var group = endpoints.MapGroup(normalized == "/" ? "" : normalized);
        var guard = new Lazy<AdminGuard>(() => new AdminGuard(settings.Value, logger));
        group.AddEndpointFilter(async (invocation, next) =>
        {
            var http = invocation.HttpContext;
            // Every answer, refusals included: never sniffed into another content type, never cached by a browser or proxy.
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers.CacheControl = "no-store";
            if (guard.Value.Admit(http) is { } refused) return refused;
            if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)) return await next(invocation).ConfigureAwait(false);
            if (!AdminAntiforgery.Validate(http.Request))
            {
                AdminLog.RefusedForgery(logger, AdminGuard.Who(http), UntrustedText.OneLine(http.Request.Path, 200));
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Missing or wrong anti-forgery token",
                    detail: $"state-changing requests need the {AdminAntiforgery.HeaderName} header matching the {AdminAntiforgery.CookieName} cookie (GET api/antiforgery issues both)");
            }
            return await next(invocation).ConfigureAwait(false);
        });
        group.AddEndpointFilter(async (invocation, next) =>
        {
            try
            {
                return await next(invocation).ConfigureAwait(false);
            }
            catch (BadRequestException e)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: e.Message);
            }
            catch (DeadStore.DeadStoreException e)
            {
                // The message names the store and the operation, never a password.
                return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The dead-letter store is unavailable", detail: e.Message);
            }
            catch (Akka.Actor.AskTimeoutException e)
            {
                return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "ActorMq did not answer in time", detail: e.Message);
            }
        });

        // Where the page and its API live for this request (behind a path base, e.g. UsePathBase("/shop"), too): the API
        // base the page calls and the anti-forgery cookie's path.
        string BasePath(HttpContext http) => http.Request.PathBase + (normalized == "/" ? "" : normalized);
        string CookiePath(HttpContext http) => BasePath(http) is { Length: > 0 } path ? path : "/";
        IResult RenderPage(HttpContext http) => AdminPage.Render(http, BasePath(http), CookiePath(http), settings.Value);
        group.MapGet("/", RenderPage);
        group.MapGet("/api/antiforgery", (HttpContext http) => Results.Json(new { token = AdminAntiforgery.Issue(http, CookiePath(http)) }, AdminJson.Options));
        group.MapGet("/api/overview", (CancellationToken ct) => AdminEndpoints.OverviewAsync(context.Value, ct));
        group.MapGet("/api/dead-letters", (HttpRequest request, CancellationToken ct) => AdminEndpoints.ListAsync(context.Value, request, ct));
        group.MapGet("/api/dead-letters/groups", (HttpRequest request, CancellationToken ct) => AdminEndpoints.GroupsAsync(context.Value, request, ct));
        group.MapGet("/api/dead-letters/{id:long}", (long id, CancellationToken ct) => AdminEndpoints.DetailAsync(context.Value, id, ct));
        group.MapGet("/api/dead-letters/{id:long}/body", (long id, CancellationToken ct) => AdminEndpoints.BodyDownloadAsync(context.Value, id, ct));
        group.MapPost("/api/dead-letters/replay", (Func<HttpContext, Task<IResult>>)(http => AdminEndpoints.ReplayAsync(context.Value, http)));
        group.MapPost("/api/dead-letters/{id:long}/replay-edited", (long id, HttpContext http) => AdminEndpoints.ReplayEditedAsync(context.Value, http, id));
        group.MapPost("/api/dead-letters/discard", (Func<HttpContext, Task<IResult>>)(http => AdminEndpoints.DiscardAsync(context.Value, http)));
        group.MapPost("/api/dead-letters/purge", (Func<HttpContext, Task<IResult>>)(http => AdminEndpoints.PurgeAsync(context.Value, http)));
        return group;
    }

    /// <summary>Maps the admin page for <paramref name="client"/>; see <see cref="MapActorMqAdmin(IEndpointRouteBuilder, string, Action{ActorMqAdminOptions}?)"/>.</summary>
    public static RouteGroupBuilder MapActorMqAdmin(this IEndpointRouteBuilder endpoints, string prefix, ActorMqClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return endpoints.MapActorMqAdmin(prefix, o => o.Client = client);
    }

    /// <summary>
    /// Refuses to serve beyond loopback without credentials: when the application builds its pipeline (the configured
    /// URLs are known then) the start fails with a <see cref="ConfigurationException"/>; addresses known only once the
    /// server listens (Kestrel endpoints configured in code) stop the application. Requests from other hosts are refused
    /// in any case.
    /// </summary>
    private static void GuardListening(IEndpointRouteBuilder endpoints, Lazy<AdminSettings> settings, ILogger logger)
    {
        var services = endpoints.ServiceProvider;
        if (endpoints is IApplicationBuilder app)
        {
            app.Use(next =>
            {
                if (app.ServerFeatures.Get<IServerAddressesFeature>()?.Addresses is { Count: > 0 } addresses)
                    ListenAddresses.EnsureSafe(addresses, settings.Value);
                return next;
            });
        }
        if (services.GetService<IHostApplicationLifetime>() is { } lifetime && services.GetService<IServer>() is { } server)
        {
            lifetime.ApplicationStarted.Register(() =>
            {
                if (server.Features.Get<IServerAddressesFeature>()?.Addresses is not { Count: > 0 } addresses) return;
                try
                {
                    ListenAddresses.EnsureSafe(addresses, settings.Value);
                    if (ListenAddresses.PlainHttpWithCredentials(addresses, settings.Value) is { Count: > 0 } plain)
                        AdminLog.PlainHttpCredentials(logger, string.Join(", ", plain));
                }
                catch (ConfigurationException e)
                {
                    AdminLog.Unsafe(logger, e.Message);
                    lifetime.StopApplication();
                }
            });
        }
    }
}
