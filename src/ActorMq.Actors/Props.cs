using System.Linq.Expressions;
using System.Reflection;

namespace ActorMq.Actors;

/// <summary>
/// How to create an actor: its type and constructor arguments, and optionally its supervisor
/// strategy (for the actor's own children), mailbox and dispatcher. Immutable; safe to share.
/// </summary>
public sealed class Props
{
    /// <summary>The dispatcher id actors use unless their props name another.</summary>
    public const string DefaultDispatcherId = "actormq.actors.default-dispatcher";

    /// <summary>The mailbox id actors use unless their props name another.</summary>
    public const string DefaultMailboxId = "actormq.actors.default-mailbox";

    private readonly Func<ActorBase> factory;

    private Props(Type actorType, Func<ActorBase> factory)
    {
        ActorType = actorType;
        this.factory = factory;
    }

    private Props(Props other)
    {
        ActorType = other.ActorType;
        factory = other.factory;
        SupervisorStrategy = other.SupervisorStrategy;
        Mailbox = other.Mailbox;
        Dispatcher = other.Dispatcher;
    }

    /// <summary>The actor class.</summary>
    public Type ActorType { get; }

    /// <summary>The strategy the actor applies to its children, or <c>null</c> for the actor's own <c>SupervisorStrategy()</c> / the default.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; private init; }

    /// <summary>The HOCON path of the mailbox definition (see <c>actormq.actors.default-mailbox</c>).</summary>
    public string Mailbox { get; private init; } = DefaultMailboxId;

    /// <summary>The HOCON path of the dispatcher definition (see <c>actormq.actors.default-dispatcher</c>).</summary>
    public string Dispatcher { get; private init; } = DefaultDispatcherId;

    /// <summary>
    /// Props for <typeparamref name="TActor"/> built with the public constructor matching
    /// <paramref name="args"/> (checked now, not when the actor starts).
    /// </summary>
    public static Props Create<TActor>(params object?[] args) where TActor : ActorBase
    {
        if (args.Length == 0 && typeof(TActor).GetConstructor(Type.EmptyTypes) is not null)
            return new Props(typeof(TActor), DefaultFactory<TActor>.Create);
        var constructor = FindConstructor(typeof(TActor), args);
        return new Props(typeof(TActor), () => (ActorBase)constructor.Invoke(args));
    }

    /// <summary>
    /// Props from a constructor call such as <c>Props.Create(() =&gt; new Worker(queue, 3))</c>.
    /// The arguments are evaluated now, once; every (re)start calls the constructor with them.
    /// </summary>
    public static Props Create<TActor>(Expression<Func<TActor>> factory) where TActor : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (factory.Body is NewExpression { Constructor: { } constructor } newExpression)
        {
            var args = newExpression.Arguments.Select(Evaluate).ToArray();
            return new Props(typeof(TActor), () => (ActorBase)constructor.Invoke(args));
        }
        var compiled = factory.Compile();
        return new Props(typeof(TActor), () => compiled());
    }

    /// <summary>For the kernel and TestKit: props from a plain factory delegate.</summary>
    internal static Props FromFactory<TActor>(Func<TActor> factory) where TActor : ActorBase =>
        new(typeof(TActor), factory);

    /// <summary>These props with <paramref name="strategy"/> for the actor's children.</summary>
    public Props WithSupervisorStrategy(SupervisorStrategy strategy) =>
        new(this) { SupervisorStrategy = strategy ?? throw new ArgumentNullException(nameof(strategy)) };

    /// <summary>These props with the mailbox defined at HOCON path <paramref name="mailboxId"/> (e.g. <c>my-app.bounded-mailbox</c>).</summary>
    public Props WithMailbox(string mailboxId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mailboxId);
        return new Props(this) { Mailbox = mailboxId };
    }

    /// <summary>
    /// These props with the dispatcher defined at HOCON path <paramref name="dispatcherId"/>, e.g.
    /// <c>actormq.actors.dedicated-thread-dispatcher</c> for an actor that blocks (a SQLite writer).
    /// </summary>
    public Props WithDispatcher(string dispatcherId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dispatcherId);
        return new Props(this) { Dispatcher = dispatcherId };
    }

    internal ActorBase NewActor() => factory();

    /// <inheritdoc />
    public override string ToString() => $"Props({ActorType.Name}, dispatcher {Dispatcher}, mailbox {Mailbox})";

    private static ConstructorInfo FindConstructor(Type type, object?[] args)
    {
        var matches = type.GetConstructors()
            .Where(c => Matches(c.GetParameters(), args))
            .ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new ArgumentException($"{type.FullName} has no public constructor taking ({string.Join(", ", args.Select(a => a?.GetType().Name ?? "null"))})"),
            _ => throw new ArgumentException($"{type.FullName} has several public constructors taking {args.Length} matching arguments; use Props.Create(() => new {type.Name}(...))"),
        };
    }

    private static bool Matches(ParameterInfo[] parameters, object?[] args) =>
        parameters.Length == args.Length &&
        parameters.Zip(args).All(pair => pair.Second is null
            ? !pair.First.ParameterType.IsValueType || Nullable.GetUnderlyingType(pair.First.ParameterType) is not null
            : pair.First.ParameterType.IsInstanceOfType(pair.Second));

    private static object? Evaluate(Expression expression) => expression switch
    {
        ConstantExpression constant => constant.Value,
        MemberExpression { Member: FieldInfo field } member => field.GetValue(member.Expression is null ? null : Evaluate(member.Expression)),
        MemberExpression { Member: PropertyInfo property } member => property.GetValue(member.Expression is null ? null : Evaluate(member.Expression)),
        _ => Expression.Lambda<Func<object?>>(Expression.Convert(expression, typeof(object))).Compile(preferInterpretation: true)(),
    };

    private static class DefaultFactory<TActor> where TActor : ActorBase
    {
        public static readonly Func<ActorBase> Create = Build();

        private static Func<ActorBase> Build()
        {
            var body = Expression.New(typeof(TActor));
            return Expression.Lambda<Func<ActorBase>>(body).Compile();
        }
    }
}
