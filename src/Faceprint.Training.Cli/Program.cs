using Faceprint.Training.Cli;

return await TrainingCliApp.RunAsync(args, Console.Out, Console.Error);
