return ActorChain.Cli.CliApp.Run(args);
