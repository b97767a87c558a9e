using Xunit.Sdk;

namespace ActorMq.TestKit;

/// <summary>A TestKit expectation failed (reported by xunit like any assertion failure).</summary>
public sealed class TestKitException : XunitException
{
    /// <summary>Creates the exception.</summary>
    public TestKitException(string message) : base(message) { }

    /// <summary>Creates the exception with the assertion that failed last.</summary>
    public TestKitException(string message, Exception inner) : base(message, inner) { }
}
