"""`ckhub topics …`, `ckhub analyze …` and `ckhub train …`: topics, the analyses of the entries,
and retraining the sentiment model on staff corrections."""

from __future__ import annotations

import typer
from sqlalchemy import select

from ckhub.cli_support import fail, open_runtime, prepare_database, progress_bar

topics = typer.Typer(name="topics", help="Topics found among the entries.", no_args_is_help=True)


@topics.command("refresh")
def refresh() -> None:
    """Cluster every embedded entry again; topic ids, names, merges and splits are kept."""
    from ckhub.insights.topic_refresh import refresh_topics

    runtime = open_runtime()
    prepare_database(runtime)
    with runtime.session_factory() as session:
        run = refresh_topics(session, runtime.settings.embedder)
    typer.echo(
        f"{run.topics} topics over {run.entries} entries ({run.new_topics} new, "
        f"{run.unassigned} entries unassigned) in {run.seconds:.1f} s."
    )


@topics.command("list")
def list_topics() -> None:
    """Active topics, largest first: id, size, name or keywords."""
    from ckhub.insights.models import Topic

    runtime = open_runtime()
    prepare_database(runtime)
    with runtime.session_factory() as session:
        for topic in session.scalars(
            select(Topic).where(Topic.status == "active").order_by(Topic.size.desc())
        ):
            typer.echo(f"{topic.id:>6}  {topic.size:>7}  {topic.title}")


analyze = typer.Typer(name="analyze", help="Analyses of the entries.", no_args_is_help=True)


@analyze.command("sentiment")
def analyze_sentiment(
    everything: bool = typer.Option(
        False, "--all", help="Score every entry again (after retraining), not only unscored ones."
    ),
) -> None:
    """Score entries' sentiment from their stored vectors (nothing is embedded again)."""
    from ckhub.knowledge.sentiment import score_sentiment

    runtime = open_runtime()
    prepare_database(runtime)
    with runtime.session_factory() as session, progress_bar("Scoring sentiment") as progress:
        done = score_sentiment(session, runtime.settings.embedder, everything, progress=progress)
    typer.echo(f"Scored the sentiment of {done} entries.")


@analyze.command("aspects")
def analyze_aspects_command() -> None:
    """Read the aspects of entries not read yet (or changed since), with their feeling."""
    from ckhub.insights.aspect_analysis import analyze_aspects

    runtime = open_runtime()
    prepare_database(runtime)
    with runtime.session_factory() as session, progress_bar("Reading aspects") as progress:
        done = analyze_aspects(session, runtime.settings.embedder, progress=progress)
    typer.echo(f"Read the aspects of {done} entries.")


@analyze.command("all")
def analyze_all_command() -> None:
    """Sentiment, sentences, aspects and topics of every entry, from the stored vectors."""
    import time

    from ckhub.insights.analysis import analyze_all

    runtime = open_runtime()
    prepare_database(runtime)
    begin = time.perf_counter()
    with (
        runtime.session_factory() as session,
        progress_bar("Scoring sentiment") as scoring,
        progress_bar("Reading sentences and aspects") as reading,
    ):
        done = analyze_all(session, runtime.settings.embedder, scoring, reading)
    typer.echo(
        f"Sentiment of {done.scored} entries, sentences and aspects of {done.read}, "
        f"{done.topics.topics} topics over {done.topics.entries} entries, "
        f"in {time.perf_counter() - begin:.0f} s."
    )


train = typer.Typer(
    name="train", help="Retrain ckhub's models on this workspace.", no_args_is_help=True
)


@train.command("sentiment")
def train_sentiment_command() -> None:
    """Retrain on the shipped data plus staff corrections; adopted only if it judges held-back
    corrections at least as well as the model in use."""
    from ckhub.auth.permissions import Viewer
    from ckhub.errors import Problem
    from ckhub.insights.sentiment_training import train_sentiment

    runtime = open_runtime()
    prepare_database(runtime)
    with runtime.session_factory() as session:
        try:
            outcome = train_sentiment(session, Viewer.system("cli"), runtime.settings.embedder)
        except Problem as problem:
            raise fail(problem) from None
    typer.echo(
        f"Trained on {outcome.corrections_trained} corrections; on the "
        f"{outcome.corrections_held_back} held back, the model in use was right "
        f"{outcome.accuracy_before:.0%}, the new one {outcome.accuracy_after:.0%}."
    )
    if outcome.adopted:
        typer.echo(f"Adopted: the sentiment of {outcome.rescored} entries was read again.")
    else:
        typer.echo("Not adopted: the model in use stays.")


GROUPS: list[typer.Typer] = [topics, analyze, train]
