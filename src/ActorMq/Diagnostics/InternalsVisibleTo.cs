using System.Runtime.CompilerServices;

// The actormq command prints message content through ActorMq.Diagnostics.UntrustedText, the one sanitizer the admin
// page's audit log uses too.
[assembly: InternalsVisibleTo("ActorMq.Cli")]
