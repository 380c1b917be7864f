"""Reading BEIR-format benchmark files: corpus.jsonl, queries.jsonl, qrels TSV."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path


@dataclass
class BeirSet:
    corpus: dict[str, tuple[str, str]]  # id -> (title, text)
    queries: dict[str, str]  # id -> text
    qrels: dict[str, dict[str, int]]  # query id -> {doc id: grade}


def _jsonl(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def load_beir(corpus: Path, queries: Path, qrels: Path) -> BeirSet:
    docs = {
        str(row["_id"]): (str(row.get("title") or ""), str(row.get("text") or ""))
        for row in _jsonl(corpus)
    }
    asked = {str(row["_id"]): str(row["text"]) for row in _jsonl(queries)}
    judged: dict[str, dict[str, int]] = defaultdict(dict)
    with qrels.open(encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter="\t")
        header = next(reader)
        if [cell.strip() for cell in header[:3]] != ["query-id", "corpus-id", "score"]:
            raise ValueError(f"{qrels}: the first line must be 'query-id corpus-id score'")
        for row in reader:
            if len(row) >= 3:
                judged[row[0]][row[1]] = int(row[2])
    # Only queries with a judgement count, as in BEIR's evaluation.
    return BeirSet(docs, {qid: text for qid, text in asked.items() if qid in judged}, dict(judged))
