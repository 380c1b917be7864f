"""Connectors: one module per source format, each turning a file into entries, streaming."""
