"""Reading search filters from a page's query string."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from starlette.datastructures import QueryParams

from ckhub.search.filters import SearchFilters


def _ints(params: QueryParams, name: str) -> tuple[int, ...]:
    return tuple(int(value) for value in params.getlist(name) if value.isdigit())


def _day(value: str, zone: str, end: bool = False) -> datetime | None:
    try:
        day = datetime.strptime(value, "%Y-%m-%d")  # noqa: DTZ007 - the zone is added next
        start = day.replace(tzinfo=ZoneInfo(zone))
    except (ValueError, ZoneInfoNotFoundError):
        return None
    return start + timedelta(days=1) if end else start


def filters_from_query(params: QueryParams, zone: str) -> SearchFilters:
    customer = params.get("customer_id", "")
    return SearchFilters(
        channels=tuple(params.getlist("channel")),
        product_line_ids=_ints(params, "product_line_id"),
        issue_type_ids=_ints(params, "issue_type_id"),
        tier_ids=_ints(params, "tier_id"),
        languages=tuple(params.getlist("language")),
        customer_id=int(customer) if customer.isdigit() else None,
        tag=params.get("tag", "").strip(),
        since=_day(params.get("since", ""), zone),
        until=_day(params.get("until", ""), zone, end=True),
    )
