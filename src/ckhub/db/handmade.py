"""Schema objects made by hand in migrations, which no model describes (full-text indexes).

Autogenerate and the models-vs-migrations test skip them.
"""

from __future__ import annotations

HAND_MADE_TABLE_PREFIXES = ("entry_fts",)  # SQLite FTS5 table and its shadow tables
HAND_MADE_INDEXES = frozenset({"ix_knowledge_entries_search"})  # PostgreSQL GIN index


def include_object(obj: object, name: str | None, type_: str, *_: object) -> bool:
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith(HAND_MADE_TABLE_PREFIXES)
    if type_ == "index":
        return name not in HAND_MADE_INDEXES
    return True
