"""The `mektep` command line for school IT staff."""
