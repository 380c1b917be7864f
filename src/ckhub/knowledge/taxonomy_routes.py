"""The taxonomy admin page: product lines and products, issue types, customer tiers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from ckhub.auth.permissions import Capability, Viewer
from ckhub.auth.service import list_teams
from ckhub.errors import Problem, not_found
from ckhub.i18n_marker import N_
from ckhub.knowledge import taxonomy
from ckhub.knowledge.models import IssueType, ProductLine
from ckhub.web.deps import DB, require
from ckhub.web.forms import notice_text, redirect_with_notice
from ckhub.web.templating import render

router = APIRouter(prefix="/admin/taxonomy", include_in_schema=False)
Manager = Annotated[Viewer, Depends(require(Capability.MANAGE_KNOWLEDGE))]


def _page(request: Request, db: DB, error: Problem | None = None, status: int = 200) -> Response:
    return render(
        request,
        "knowledge/taxonomy.html",
        status_code=status,
        error=error,
        product_lines=taxonomy.list_product_lines(db),
        issue_types=taxonomy.list_issue_types(db),
        tiers=taxonomy.list_tiers(db),
        teams=list_teams(db),
        notice=notice_text(request.query_params.get("notice")),
    )


@router.get("")
def taxonomy_page(request: Request, db: DB, viewer: Manager) -> Response:
    return _page(request, db)


@router.post("/{kind}")
def save(
    request: Request,
    db: DB,
    viewer: Manager,
    kind: str,
    key: Annotated[str, Form()],
    name_zh: Annotated[str, Form()],
    name_en: Annotated[str, Form()],
    keywords: Annotated[str, Form()] = "",
    parent_id: Annotated[str, Form()] = "",
    is_active: Annotated[bool, Form()] = False,
    term_id: Annotated[str, Form()] = "",
    weight: Annotated[str, Form()] = "1",
    owner_team_id: Annotated[str, Form()] = "",
) -> Response:
    parent = int(parent_id) if parent_id.isdigit() else None
    existing = int(term_id) if term_id.isdigit() else None
    try:
        if kind == "product-lines":
            taxonomy.save_term(
                db,
                viewer,
                ProductLine,
                key=key,
                name_zh=name_zh,
                name_en=name_en,
                keywords=keywords,
                parent_id=parent,
                is_active=is_active,
                term_id=existing,
            )
        elif kind == "issue-types":
            taxonomy.save_term(
                db,
                viewer,
                IssueType,
                key=key,
                name_zh=name_zh,
                name_en=name_en,
                keywords=keywords,
                is_active=is_active,
                term_id=existing,
                owner_team_id=int(owner_team_id) if owner_team_id.isdigit() else None,
            )
        elif kind == "tiers":
            taxonomy.save_tier(
                db,
                viewer,
                key=key,
                name_zh=name_zh,
                name_en=name_en,
                weight=_number(weight),
                tier_id=existing,
            )
        else:
            raise not_found(N_("Page"))
    except Problem as problem:
        db.rollback()
        return _page(request, db, problem, problem.status)
    return redirect_with_notice("/admin/taxonomy", "saved")


def _number(text: str) -> float:
    try:
        return float(text.strip() or "1")
    except ValueError:
        raise Problem(
            "invalid-weight", "A tier's weight is a number from 0 to 1000.", 422
        ) from None
