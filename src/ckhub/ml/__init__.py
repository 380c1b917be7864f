"""Models: embedders now; sentiment, aspects, topics and trends as their areas arrive."""
