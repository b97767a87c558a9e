using Microsoft.Extensions.DependencyInjection;

namespace ActorMq.Hosting;

/// <summary>
/// Checks at start that every DI handler can be created, so a missing registration is a start error naming the
/// consumer, the handler and the service, not a failure of every delivery.
/// </summary>
internal static class HandlerDependencies
{
    /// <exception cref="ConfigurationException">The handler, or a service its constructor takes, cannot be resolved.</exception>
    public static void Validate(HandlerBinding binding, IServiceProvider services)
    {
        var handler = binding.HandlerType;
        var path = $"actormq.consumers.{binding.Consumer}";
        var isService = services.GetService<IServiceProviderIsService>();
        if (isService is null) return; // a container that cannot tell: the first delivery will
        if (isService.IsService(handler))
        {
            // Registered: the container builds it; resolve it once, in a scope, to surface what it lacks.
            using var scope = services.CreateScope();
            try
            {
                scope.ServiceProvider.GetRequiredService(handler);
            }
            catch (InvalidOperationException e)
            {
                throw new ConfigurationException(path, $"consumer '{binding.Consumer}': handler {handler.FullName} cannot be resolved from dependency injection: {e.Message}", e);
            }
            return;
        }

        var constructors = handler.GetConstructors();
        if (constructors.Length == 0)
            throw new ConfigurationException(path, $"consumer '{binding.Consumer}': handler {handler.FullName} has no public constructor");
        var missing = constructors
            .Select(c => (Constructor: c, Missing: c.GetParameters().Where(p => !p.HasDefaultValue && !isService.IsService(p.ParameterType)).ToList()))
            .OrderBy(c => c.Missing.Count).ThenByDescending(c => c.Constructor.GetParameters().Length)
            .First();
        if (missing.Missing.Count == 0) return;
        var names = string.Join(", ", missing.Missing.Select(p => $"{p.ParameterType.FullName} (parameter '{p.Name}')"));
        throw new ConfigurationException(path,
            $"consumer '{binding.Consumer}': handler {handler.FullName} cannot be created from dependency injection: no service is registered for {names}; " +
            $"register it (services.AddScoped<{missing.Missing[0].ParameterType.Name}>(), for one per delivery) or register the handler itself");
    }
}
