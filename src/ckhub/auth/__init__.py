"""Accounts: users, teams, roles and permissions, sessions, API tokens, audit log."""
