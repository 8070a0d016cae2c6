"""The national hub: registry of oblasts, rayons, schools and their nodes; reports."""
