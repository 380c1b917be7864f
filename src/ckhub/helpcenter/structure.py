"""Categories and sections: how the help center is organized, and who reviews what."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.auth import audit
from ckhub.auth.permissions import Capability, Viewer
from ckhub.errors import Problem, forbidden, not_found
from ckhub.helpcenter.models import HelpCategory, HelpSection
from ckhub.helpcenter.service import checked_slug
from ckhub.i18n_marker import N_


def _check(viewer: Viewer, slug: str, name_zh: str, name_en: str) -> str:
    if not viewer.can(Capability.MANAGE_KNOWLEDGE):
        raise forbidden()
    cleaned = checked_slug(slug)
    if not name_zh.strip() or not name_en.strip():
        raise Problem("invalid-name", "Give both the Chinese and the English name.", 422)
    return cleaned


def save_category(
    session: Session,
    viewer: Viewer,
    *,
    slug: str,
    name_zh: str,
    name_en: str,
    requires_review: bool = True,
    reviewer_team_id: int | None = None,
    position: int = 0,
    category_id: int | None = None,
) -> HelpCategory:
    cleaned = _check(viewer, slug, name_zh, name_en)
    clash = session.scalar(select(HelpCategory.id).where(HelpCategory.slug == cleaned))
    if clash is not None and clash != category_id:
        raise Problem("slug-exists", "The slug “{slug}” is already used.", 409, slug=cleaned)
    category = session.get(HelpCategory, category_id) if category_id else HelpCategory()
    if category is None:
        raise not_found(N_("Category"))
    category.slug, category.name_zh, category.name_en = cleaned, name_zh.strip(), name_en.strip()
    category.requires_review, category.reviewer_team_id = requires_review, reviewer_team_id
    category.position = position
    if category_id is None:
        session.add(category)
    session.flush()
    audit.record(session, viewer, "helpcenter.category_saved", "help_category", category.id)
    session.commit()
    return category


def save_section(
    session: Session,
    viewer: Viewer,
    *,
    category_id: int,
    slug: str,
    name_zh: str,
    name_en: str,
    position: int = 0,
    section_id: int | None = None,
) -> HelpSection:
    cleaned = _check(viewer, slug, name_zh, name_en)
    if session.get(HelpCategory, category_id) is None:
        raise not_found(N_("Category"))
    clash = session.scalar(
        select(HelpSection.id).where(
            HelpSection.category_id == category_id, HelpSection.slug == cleaned
        )
    )
    if clash is not None and clash != section_id:
        raise Problem("slug-exists", "The slug “{slug}” is already used.", 409, slug=cleaned)
    section = session.get(HelpSection, section_id) if section_id else HelpSection()
    if section is None:
        raise not_found(N_("Section"))
    section.category_id, section.slug = category_id, cleaned
    section.name_zh, section.name_en, section.position = name_zh.strip(), name_en.strip(), position
    if section_id is None:
        session.add(section)
    session.flush()
    audit.record(session, viewer, "helpcenter.section_saved", "help_section", section.id)
    session.commit()
    return section


def list_categories(session: Session) -> list[HelpCategory]:
    return list(
        session.scalars(select(HelpCategory).order_by(HelpCategory.position, HelpCategory.id))
    )
