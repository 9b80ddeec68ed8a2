return await ActorChain.Cli.CliApp.RunAsync(args);
