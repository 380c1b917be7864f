"""Finding knowledge: lexical and vector search, fusion, facets, snippets, the search log."""
