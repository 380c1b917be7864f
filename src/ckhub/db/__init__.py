"""Database engine, sessions, declarative base, column types and migrations."""
