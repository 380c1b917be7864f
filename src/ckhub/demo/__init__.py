"""The demo workspace `make run` loads: a consumer-electronics company to explore."""
