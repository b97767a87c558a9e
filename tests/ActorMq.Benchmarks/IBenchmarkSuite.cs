using System.Globalization;

namespace ActorMq.Benchmarks;

/// <summary>A named group of measurements, discovered by reflection and run by <c>./build.sh bench NAME</c>.</summary>
public interface IBenchmarkSuite
{
    /// <summary>The name given on the command line, e.g. <c>actors</c>.</summary>
    string Name { get; }

    /// <summary>One line saying what is measured against what.</summary>
    string Description { get; }

    Task RunAsync(BenchmarkContext context);
}

/// <summary>Where a suite reports its figures. Each figure is one line, <c>name = value</c>.</summary>
public sealed class BenchmarkContext(TextWriter output, IReadOnlyList<string>? arguments = null)
{
    /// <summary>The words after the suite's name on the command line that name no suite (<c>./build.sh bench faults kill9 freeze</c>).</summary>
    public IReadOnlyList<string> Arguments { get; } = arguments ?? [];

    /// <summary>The broker a suite may use (set by build.sh, which starts a private node).</summary>
    public string? AmqpUri { get; } = Environment.GetEnvironmentVariable("ACTORMQ_TEST_AMQP_URI");

    /// <summary>Prints a contract figure: <c>name = value</c>, invariant culture.</summary>
    public void Report(string name, double value) =>
        output.WriteLine($"{name} = {value.ToString(value == Math.Floor(value) && Math.Abs(value) < 1e15 ? "0" : "0.###", CultureInfo.InvariantCulture)}");

    /// <summary>Prints a free-form comment line (prefixed with <c>#</c>), not read by dashboards.</summary>
    public void Note(string text) => output.WriteLine($"# {text}");
}
