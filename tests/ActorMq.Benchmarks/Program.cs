// The benchmark harness: `./build.sh bench [suite ...]` (or `dotnet run -c Release -- <suite>`).
// Each suite runs ActorMq and its peers side by side in one process and prints every figure
// on its own line as `name = value`. The names are a contract: dashboards read them.
using System.Reflection;
using ActorMq.Benchmarks;

var suites = typeof(IBenchmarkSuite).Assembly.GetTypes()
    .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IBenchmarkSuite).IsAssignableFrom(t))
    .Select(t => (IBenchmarkSuite)Activator.CreateInstance(t)!)
    .OrderBy(s => s.Name, StringComparer.Ordinal)
    .ToList();

if (args.Length == 0 || args[0] is "-h" or "--help" or "list")
{
    Console.WriteLine("usage: ./build.sh bench <suite> [<argument> ...] [<suite> ...] | all   (arguments: words that name no suite, for the suite before them)");
    foreach (var s in suites) Console.WriteLine($"  {s.Name,-12} {s.Description}");
    return args.Length == 0 ? 2 : 0;
}

// A word that names no suite is an argument of the suite before it (`faults kill9 freeze`).
var wanted = new List<(string Name, List<string> Arguments)>();
foreach (var arg in args)
{
    if (arg == "all") wanted.AddRange(suites.Select(s => (s.Name, new List<string>())));
    else if (suites.Any(s => s.Name == arg) || wanted.Count == 0) wanted.Add((arg, []));
    else wanted[^1].Arguments.Add(arg);
}
var exit = 0;
foreach (var (name, arguments) in wanted)
{
    var suite = suites.FirstOrDefault(s => s.Name == name);
    if (suite is null)
    {
        Console.Error.WriteLine($"unknown benchmark suite '{name}'; known: {string.Join(", ", suites.Select(s => s.Name))}");
        exit = 2;
        continue;
    }
    Console.WriteLine($"# {suite.Name}: {suite.Description}");
    await suite.RunAsync(new BenchmarkContext(Console.Out, arguments));
}
return exit;
