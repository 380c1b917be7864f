"""Chart data for the pages, read by web/static/js/charts.js. Names are translation keys: the
`chart` macro (web/_macros.html) translates them as the page renders."""

from __future__ import annotations

from typing import Any

from ckhub.dashboard.self_service import SelfServiceMetrics, Series
from ckhub.i18n_marker import N_

LINE_NAMES = {
    "asked": N_("Conversations"),
    "resolved_by_bot": N_("Resolved by the bot"),
    "handed_over": N_("Handed over to a person"),
    "searches": N_("Searches"),
    "failed": N_("Searches without results"),
    "views": N_("Article views"),
    "helpful": N_("Helpful votes"),
    "unhelpful": N_("Unhelpful votes"),
}


def chart(series: Series, title: str) -> dict[str, Any]:
    """One line chart: {"title", "labels", "partial", "series": [{"name", "values"}]}."""
    return {
        "title": title,
        "labels": series.labels,
        "partial": series.partial,
        "series": [
            {"name": LINE_NAMES[name], "values": values} for name, values in series.lines.items()
        ],
    }


def self_service_charts(metrics: SelfServiceMetrics) -> dict[str, dict[str, Any]]:
    return {
        "conversations": chart(metrics.conversations, N_("Bot conversations")),
        "searches": chart(metrics.searches_over_time, N_("Help-center and bot searches")),
        "reading": chart(metrics.reading, N_("Article views and votes")),
    }
