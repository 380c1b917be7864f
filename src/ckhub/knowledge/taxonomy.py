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
# Tiers too have a key and two names.
Named = TypeVar("Named", ProductLine, IssueType, CustomerTier)


def _require(viewer: Viewer) -> None:
    if not viewer.can(Capability.MANAGE_KNOWLEDGE):
        raise forbidden()


def split_keywords(text: str) -> list[str]:
    """Keywords are separated by new lines, commas or semicolons (either width)."""
    return [word.strip() for word in re.split(r"[\n,;，；、]+", text) if word.strip()]


def find_by_key_or_name(session: Session, model: type[Named], value: str) -> Named | None:
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
    return find_by_key_or_name(session, CustomerTier, value)


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
    owner_team_id: int | None = None,
) -> Term:
    """Create (term_id None) or update a product line or issue type (with its owner team)."""
    _require(viewer)
    cleaned_key = _checked_key(session, model, key, name_zh, name_en, term_id)
    term = session.get(model, term_id) if term_id else model()
    if term is None:
        raise not_found(N_("Term"))
    term.key, term.name_zh, term.name_en = cleaned_key, name_zh.strip(), name_en.strip()
    term.keywords = "\n".join(split_keywords(keywords))
    term.is_active = is_active
    if isinstance(term, ProductLine):
        term.parent_id = parent_id
    else:
        term.owner_team_id = owner_team_id
    if term_id is None:
        session.add(term)
    session.flush()
    audit.record(session, viewer, "taxonomy.saved", model.__tablename__, term.id, key=cleaned_key)
    session.commit()
    return term


def save_tier(
    session: Session,
    viewer: Viewer,
    *,
    key: str,
    name_zh: str,
    name_en: str,
    weight: float = 1.0,
    tier_id: int | None = None,
) -> CustomerTier:
    """Create (tier_id None) or update a customer tier; new tiers go last."""
    _require(viewer)
    cleaned_key = _checked_key(session, CustomerTier, key, name_zh, name_en, tier_id)
    if not 0 <= weight <= 1000:
        raise Problem("invalid-weight", "A tier's weight is a number from 0 to 1000.", 422)
    tier = session.get(CustomerTier, tier_id) if tier_id else CustomerTier()
    if tier is None:
        raise not_found(N_("Customer tier"))
    tier.key, tier.name_zh, tier.name_en = cleaned_key, name_zh.strip(), name_en.strip()
    tier.weight = weight
    if tier_id is None:
        last = session.scalar(select(func.max(CustomerTier.position))) or 0
        tier.position = last + 1
        session.add(tier)
    session.flush()
    audit.record(session, viewer, "taxonomy.saved", "customer_tiers", tier.id, key=cleaned_key)
    session.commit()
    return tier


def _checked_key(
    session: Session,
    model: type[Named],
    key: str,
    name_zh: str,
    name_en: str,
    current_id: int | None,
) -> str:
    """The key, cleaned, after checking it and both names; a clash names the key."""
    cleaned_key = key.strip().lower()
    longest = getattr(model.__table__.c.key.type, "length", None) or 64
    if not KEY_PATTERN.match(cleaned_key) or len(cleaned_key) > longest:
        raise Problem(
            "invalid-key",
            "A key is lower-case letters, digits, - or _ (1–{longest}).",
            422,
            longest=longest,
        )
    if not name_zh.strip() or not name_en.strip():
        raise Problem("invalid-name", "Give both the Chinese and the English name.", 422)
    clash = session.scalar(select(model).where(model.key == cleaned_key))
    if clash is not None and clash.id != current_id:
        raise Problem("key-exists", "The key “{key}” is already used.", 409, key=cleaned_key)
    return cleaned_key


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


def owner_team_of_issue_type(session: Session, issue_type_id: int | None) -> int | None:
    """The team that owns an issue type (bugs → Engineering), if one was set."""
    issue_type = session.get(IssueType, issue_type_id) if issue_type_id else None
    return issue_type.owner_team_id if issue_type else None
