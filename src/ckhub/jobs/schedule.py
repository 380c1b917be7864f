"""The one schedule of periodic tasks. Every periodic job of every area is listed here."""

from __future__ import annotations

from huey import crontab

from ckhub.jobs.queue import JobQueue

# (Huey task name, when, job kind, quiet: recorded only when it did something)
PERIODIC_JOBS = [
    ("ckhub.deliver_outbox", crontab(minute="*"), "notify.deliver", True),
    ("ckhub.embed_pending", crontab(minute="*"), "knowledge.embed_pending", True),
    ("ckhub.purge_expired", crontab(minute="7"), "auth.purge_expired", False),
    ("ckhub.purge_jobs", crontab(minute="17", hour="3"), "jobs.purge_finished", False),
    (
        "ckhub.purge_conversations",
        crontab(minute="23", hour="3"),
        "assistant.purge_unused",
        True,
    ),
    (
        "ckhub.article_freshness",
        crontab(minute="37", hour="1"),
        "helpcenter.check_freshness",
        False,
    ),
    ("ckhub.usage_signals", crontab(minute="27", hour="2"), "usage.recompute_signals", False),
    ("ckhub.refresh_topics", crontab(minute="47", hour="2"), "insights.refresh_topics", False),
    # After the night's topics, before people start work (UTC): yesterday and last week.
    ("ckhub.check_spikes", crontab(minute="15", hour="22"), "insights.check_spikes", True),
    # Sunday 23:30 UTC is Monday 07:30 in China: last week's digest before the week starts.
    (
        "ckhub.weekly_digest",
        crontab(minute="30", hour="23", day_of_week="0"),
        "insights.weekly_digest",
        False,
    ),
    # Before people start work in China (UTC): yesterday's overdue items.
    ("ckhub.feedback_remind", crontab(minute="5", hour="0"), "feedback.remind", True),
    (
        "ckhub.feedback_report",
        crontab(minute="40", hour="23", day_of_week="0"),
        "feedback.weekly_report",
        False,
    ),
]


def register_schedule(queue: JobQueue) -> None:
    for name, when, kind, quiet in PERIODIC_JOBS:
        queue.periodic(name, when, kind, quiet)
