"""The knowledge base: customers, taxonomy, and the entries every channel turns into."""
