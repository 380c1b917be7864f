"""Turn the shared dev sets into BEIR files for `ckhub bench retrieval`.

    python scripts/make_beir_sets.py --data ../shared/data --out /tmp/beir

- covidfaq: the 68 FAQ entries are the corpus (question as title, answer as text); every user
  query is judged relevant to the FAQ with the same answer.
- lcqmc: the distinct second questions are the corpus; the first question of each positive pair
  is a query, relevant to its second question.

Nothing from ../shared is copied into the repository: the output goes where --out says.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path


def _write(
    folder: Path,
    corpus: list[dict[str, str]],
    queries: list[dict[str, str]],
    qrels: list[tuple[str, str]],
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "corpus.jsonl").open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in corpus)
    with (folder / "queries.jsonl").open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in queries)
    with (folder / "qrels.tsv").open("w", encoding="utf-8") as out:
        out.write("query-id\tcorpus-id\tscore\n")
        out.writelines(f"{query}\t{doc}\t1\n" for query, doc in qrels)


def covidfaq(data: Path, out: Path) -> None:
    rows = json.loads((data / "covidfaq_query_answer_pairs.json").read_text(encoding="utf-8"))
    faq_by_answer: dict[str, str] = {}
    corpus: list[dict[str, str]] = []
    queries: list[dict[str, str]] = []
    qrels: list[tuple[str, str]] = []
    for row in rows:
        if row["query_type"] == "faq":
            doc_id = f"faq{len(corpus)}"
            faq_by_answer[row["answer"]] = doc_id
            corpus.append({"_id": doc_id, "title": row["question"], "text": row["answer"]})
    for number, row in enumerate(r for r in rows if r["query_type"] == "user_query"):
        if row["answer"] in faq_by_answer:
            queries.append({"_id": f"q{number}", "text": row["question"]})
            qrels.append((f"q{number}", faq_by_answer[row["answer"]]))
    _write(out / "covidfaq", corpus, queries, qrels)


def lcqmc(data: Path, out: Path) -> None:
    doc_ids: dict[str, str] = {}
    queries, qrels = [], []
    with (data / "lcqmc_dev.tsv").open(encoding="utf-8") as handle:
        for number, row in enumerate(csv.reader(handle, delimiter="\t")):
            if len(row) < 3 or not row[2].strip().isdigit():
                continue  # a header or a broken line
            first, second, label = row[0].strip(), row[1].strip(), int(row[2])
            doc_id = doc_ids.setdefault(second, f"d{len(doc_ids)}")
            if label == 1:
                queries.append({"_id": f"q{number}", "text": first})
                qrels.append((f"q{number}", doc_id))
    corpus = [{"_id": doc_id, "title": "", "text": text} for text, doc_id in doc_ids.items()]
    _write(out / "lcqmc", corpus, queries, qrels)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    covidfaq(args.data, args.out)
    lcqmc(args.data, args.out)
    print(f"BEIR sets written to {args.out}/covidfaq and {args.out}/lcqmc")


if __name__ == "__main__":
    main()
