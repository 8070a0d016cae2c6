"""Accounts: users with roles, classes, passwords, login throttling, bulk import."""
