global using ActorMq.Actors;
global using ActorMq.TestKit;
global using Xunit;
