using Faceprint.Bench.Cli;

return await BenchCliApp.RunAsync(args, Console.Out, Console.Error);
