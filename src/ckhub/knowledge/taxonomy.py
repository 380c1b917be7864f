"""The configurable taxonomy: customer tiers, product lines and products, issue types."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ckhub.auth import audit
from ckhub.auth.permissions import Capability, Viewer
from ckhub.errors import Problem, forbidden, not_found
from ckhub.i18n_marker import N_
from ckhub.knowledge.models import CustomerTier, IssueType, ProductLine
from ckhub.text.segment import fold

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
# Product lines and issue types share their shape and their rules.
Term = TypeVar("Term", ProductLine, IssueType)


def _require(viewer: Viewer) -> None:
    if not viewer.can(Capability.MANAGE_KNOWLEDGE):
        raise forbidden()


def split_keywords(text: str) -> list[str]:
    """Keywords are separated by new lines, commas or semicolons (either width)."""
    return [word.strip() for word in re.split(r"[\n,;，；、]+", text) if word.strip()]


def find_by_key_or_name(session: Session, model: type[Term], value: str) -> Term | None:
    """Match an imported value against key, Chinese or English name (case-insensitive)."""
    cleaned = value.strip().lower()
    if not cleaned:
        return None
    query = select(model).where(
        or_(
            func.lower(model.key) == cleaned,
            func.lower(model.name_en) == cleaned,
            model.name_zh == value.strip(),
        )
    )
    return session.scalars(query.limit(1)).first()


def find_tier(session: Session, value: str) -> CustomerTier | None:
    cleaned = value.strip().lower()
    query = select(CustomerTier).where(
        or_(
            func.lower(CustomerTier.key) == cleaned,
            func.lower(CustomerTier.name_en) == cleaned,
            CustomerTier.name_zh == value.strip(),
        )
    )
    return session.scalars(query.limit(1)).first() if cleaned else None


def list_product_lines(session: Session, active_only: bool = False) -> list[ProductLine]:
    query = select(ProductLine).order_by(ProductLine.position, ProductLine.id)
    if active_only:
        query = query.where(ProductLine.is_active.is_(True))
    return list(session.scalars(query).all())


def list_issue_types(session: Session, active_only: bool = False) -> list[IssueType]:
    query = select(IssueType).order_by(IssueType.position, IssueType.id)
    if active_only:
        query = query.where(IssueType.is_active.is_(True))
    return list(session.scalars(query).all())


def list_tiers(session: Session) -> list[CustomerTier]:
    return list(session.scalars(select(CustomerTier).order_by(CustomerTier.position)).all())


def save_term(
    session: Session,
    viewer: Viewer,
    model: type[Term],
    *,
    key: str,
    name_zh: str,
    name_en: str,
    keywords: str = "",
    parent_id: int | None = None,
    is_active: bool = True,
    term_id: int | None = None,
) -> Term:
    """Create (term_id None) or update a product line or issue type."""
    _require(viewer)
    cleaned_key = key.strip().lower()
    if not KEY_PATTERN.match(cleaned_key):
        raise Problem("invalid-key", "A key is lower-case letters, digits, - or _ (1–64).", 422)
    if not name_zh.strip() or not name_en.strip():
        raise Problem("invalid-name", "Give both the Chinese and the English name.", 422)
    clash = session.scalar(select(model).where(model.key == cleaned_key))
    if clash is not None and clash.id != term_id:
        raise Problem("key-exists", "The key “{key}” is already used.", 409, key=cleaned_key)
    term = session.get(model, term_id) if term_id else model()
    if term is None:
        raise not_found(N_("Term"))
    term.key, term.name_zh, term.name_en = cleaned_key, name_zh.strip(), name_en.strip()
    term.keywords = "\n".join(split_keywords(keywords))
    term.is_active = is_active
    if isinstance(term, ProductLine):
        term.parent_id = parent_id
    if term_id is None:
        session.add(term)
    session.flush()
    audit.record(session, viewer, "taxonomy.saved", model.__tablename__, term.id, key=cleaned_key)
    session.commit()
    return term


@dataclass(frozen=True)
class KeywordRule:
    term_id: int
    keywords: tuple[str, ...]  # folded (Simplified, lower case)


def keyword_rules(terms: list[ProductLine] | list[IssueType]) -> list[KeywordRule]:
    """Each active term's keywords plus its names, folded for matching."""
    rules = []
    for term in terms:
        if not term.is_active:
            continue
        words = {fold(word) for word in split_keywords(term.keywords)}
        words |= {fold(term.name_zh), fold(term.name_en)}
        rules.append(KeywordRule(term.id, tuple(sorted(w for w in words if w))))
    return rules
