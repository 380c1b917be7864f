"""Reading search filters from a page's query string."""

from __future__ import annotations

from starlette.datastructures import QueryParams

from ckhub.search.filters import SearchFilters
from ckhub.workdays import typed_days


def _ints(params: QueryParams, name: str) -> tuple[int, ...]:
    return tuple(int(value) for value in params.getlist(name) if value.isdigit())


def filters_from_query(params: QueryParams, zone: str) -> SearchFilters:
    customer = params.get("customer_id", "")
    since, until = typed_days(params.get("since", ""), params.get("until", ""), zone)
    return SearchFilters(
        channels=tuple(params.getlist("channel")),
        product_line_ids=_ints(params, "product_line_id"),
        issue_type_ids=_ints(params, "issue_type_id"),
        tier_ids=_ints(params, "tier_id"),
        languages=tuple(params.getlist("language")),
        customer_id=int(customer) if customer.isdigit() else None,
        tag=params.get("tag", "").strip(),
        since=since,
        until=until,
    )
