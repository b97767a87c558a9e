using System.Runtime.CompilerServices;

// The SQL shared by the two store providers (ActorMq.DeadStore.Sql) is internal to ActorMq and
// compiled once, here; the providers see it through these grants.
[assembly: InternalsVisibleTo("ActorMq.DeadStore.Sqlite")]
[assembly: InternalsVisibleTo("ActorMq.DeadStore.PostgreSql")]
