global using ActorMq.Actors;
global using ActorMq.TestKit;
global using Xunit;
global using ActorTestKit = ActorMq.TestKit.TestKit;
