"""BERTopic's default clustering on the same embeddings, for `ckhub bench topics` to beat.

BERTopic itself pulls in PyTorch; its default pipeline is UMAP (15 neighbours, 5 components,
min_dist 0, cosine) then HDBSCAN (min_cluster_size 10, eom), which this reproduces. Run it in a
separate environment (`pip install umap-learn scikit-learn`), never in ckhub's:

    python scripts/topic_baseline.py --data /tmp/topics/shop.csv --embeddings /tmp/topics/shop.npy

The embeddings file is the one `ckhub bench topics --embeddings` wrote for the same CSV.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from pathlib import Path

import numpy as np
import umap  # type: ignore[import-not-found]
from sklearn.cluster import HDBSCAN
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--embeddings", type=Path, required=True)
    args = parser.parse_args()
    with args.data.open(encoding="utf-8") as handle:
        truth = [row["label"] for row in csv.DictReader(handle)]
    vectors = np.load(args.embeddings)
    begin = time.perf_counter()
    reduced = umap.UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine")
    points = reduced.fit_transform(vectors)
    labels = HDBSCAN(min_cluster_size=10, cluster_selection_method="eom").fit_predict(points)
    print(
        json.dumps(
            {
                "baseline": "UMAP + HDBSCAN (BERTopic defaults)",
                "nmi": round(float(normalized_mutual_info_score(truth, labels)), 4),
                "ari": round(float(adjusted_rand_score(truth, labels)), 4),
                "n_topics": len(set(labels) - {-1}),
                "unassigned_share": round(float(np.mean(labels == -1)), 4),
                "seconds": round(time.perf_counter() - begin, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
