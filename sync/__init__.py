"""Replication between a node and the hub: wire format, authentication, protocol, agent."""
