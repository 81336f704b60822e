"""One module per `toolkit` subcommand group; thin doors over the engine and the agents."""
