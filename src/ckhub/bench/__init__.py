"""Benchmarks behind `ckhub bench …`: each prints one JSON object for docs/benchmarks.md."""
