"""Settings by integration, each read from the environment and gathered by `base`."""
