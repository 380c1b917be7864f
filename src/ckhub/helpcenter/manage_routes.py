"""Editors' pages: the article list, writing and editing, review, history with diffs, restore."""

from __future__ import annotations

import difflib
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Capability, Role, Viewer
from ckhub.auth.service import list_teams, list_users
from ckhub.errors import Problem, not_found
from ckhub.helpcenter import attachments, freshness, queries, service, structure
from ckhub.helpcenter.models import Article, ArticleStatus, ArticleVersion
from ckhub.helpcenter.service import ArticleDraft, ArticleSettings
from ckhub.i18n_marker import N_
from ckhub.knowledge.labels import VISIBILITY_LABELS
from ckhub.knowledge.models import KnowledgeEntry
from ckhub.knowledge.queries import visible_entry
from ckhub.knowledge.taxonomy import list_tiers
from ckhub.web.deps import DB, require
from ckhub.web.forms import notice_text, redirect_with_notice
from ckhub.web.templating import render

router = APIRouter(prefix="/help/manage", include_in_schema=False)
Writer = Annotated[Viewer, Depends(require(Capability.WRITE_KNOWLEDGE))]
Manager = Annotated[Viewer, Depends(require(Capability.MANAGE_KNOWLEDGE))]
STATUS_LABELS = {
    ArticleStatus.DRAFT.value: N_("Draft"),
    ArticleStatus.IN_REVIEW.value: N_("In review"),
    ArticleStatus.PUBLISHED.value: N_("Published"),
    ArticleStatus.ARCHIVED.value: N_("Archived"),
}


def _number(value: str) -> int | None:
    return int(value) if value.strip().isdigit() else None


class ArticleForm:
    """The article form: where it lives, who reads it, and its text in each language."""

    def __init__(
        self,
        section_id: Annotated[str, Form()] = "",
        slug: Annotated[str, Form()] = "",
        visibility: Annotated[str, Form()] = "internal",
        team_id: Annotated[str, Form()] = "",
        tier_ids: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI reads the default
        owner_id: Annotated[str, Form()] = "",
        verify_every_days: Annotated[str, Form()] = "180",
        title_zh: Annotated[str, Form()] = "",
        body_zh: Annotated[str, Form()] = "",
        keywords_zh: Annotated[str, Form()] = "",
        title_en: Annotated[str, Form()] = "",
        body_en: Annotated[str, Form()] = "",
        keywords_en: Annotated[str, Form()] = "",
        note: Annotated[str, Form()] = "",
        source_entry_ids: Annotated[list[str], Form()] = [],  # noqa: B006
        related: Annotated[str, Form()] = "",
    ) -> None:
        self.section_id, self.slug = _number(section_id), slug.strip().lower()
        self.visibility, self.team_id = visibility, _number(team_id)
        self.tier_ids = tuple(i for i in (_number(t) for t in tier_ids) if i is not None)
        self.owner_id = _number(owner_id)
        self.verify_every_days = _number(verify_every_days) or 0
        self.text = {
            "zh": (title_zh, body_zh, keywords_zh),
            "en": (title_en, body_en, keywords_en),
        }
        self.note = note
        self.related = [line.strip() for line in related.split() if line.strip()]
        self.source_entry_ids = tuple(
            i for i in (_number(e) for e in source_entry_ids) if i is not None
        )

    @classmethod
    def from_entry(cls, entry: KnowledgeEntry) -> ArticleForm:
        """A draft prefilled from a knowledge entry (its redacted text), in its language."""
        language = "en" if entry.language == "en" else "zh"
        title = entry.title or entry.body.split("\n", 1)[0][:80]
        form = cls(source_entry_ids=[str(entry.id)])
        form.text[language] = (title, entry.body, "")
        return form

    @classmethod
    def of(cls, article: Article, versions: dict[str, ArticleVersion]) -> ArticleForm:
        def field(language: str, name: str) -> str:
            version = versions.get(language)
            return str(getattr(version, name)) if version else ""

        return cls(
            section_id=str(article.section_id),
            slug=article.slug,
            visibility=article.visibility,
            team_id=str(article.team_id or ""),
            tier_ids=[str(tier.tier_id) for tier in article.tiers],
            owner_id=str(article.owner_id or ""),
            verify_every_days=str(article.verify_every_days),
            title_zh=field("zh", "title"),
            body_zh=field("zh", "body"),
            keywords_zh=field("zh", "keywords"),
            title_en=field("en", "title"),
            body_en=field("en", "body"),
            keywords_en=field("en", "keywords"),
        )

    def settings(self) -> ArticleSettings:
        if self.section_id is None:
            raise Problem("section-needed", "Choose the section the article belongs to.", 422)
        return ArticleSettings(
            section_id=self.section_id,
            slug=self.slug,
            visibility=self.visibility,
            team_id=self.team_id,
            tier_ids=self.tier_ids,
            owner_id=self.owner_id,
            verify_every_days=self.verify_every_days,
        )

    def drafts(self) -> list[ArticleDraft]:
        """A language counts when it has a title or a text."""
        return [
            ArticleDraft(language, title, body, keywords, self.note)
            for language, (title, body, keywords) in self.text.items()
            if title.strip() or body.strip()
        ]


def _form_page(
    request: Request,
    db: Session,
    viewer: Viewer,
    form: ArticleForm,
    article: Article | None = None,
    error: Problem | None = None,
    sources: list[KnowledgeEntry] | None = None,
) -> Response:
    context: dict[str, Any] = {"sources": sources or []}
    if article is not None:
        context |= {
            "sources": service.article_sources(db, viewer, article.id),
            "history": queries.article_history(db, article.id),
            "reviews": queries.article_reviews(db, article.id),
            "can_review": service.can_review(db, viewer, article),
            "requires_review": service.requires_review(db, article),
            "flags": freshness.open_flags(db, article.id),
            "attachments": attachments.list_attachments(db, article.id),
            "can_verify": viewer.can(Capability.MANAGE_KNOWLEDGE)
            or article.owner_id == viewer.user_id,
        }
    return render(
        request,
        "helpcenter/edit.html",
        status_code=error.status if error else 200,
        article=article,
        form=form,
        error=error,
        tree=queries.category_tree(db),
        teams=list_teams(db),
        tiers=list_tiers(db),
        owners=[u for u in list_users(db) if u.role != Role.CUSTOMER and u.is_active],
        visibility_labels=VISIBILITY_LABELS,
        status_labels=STATUS_LABELS,
        notice=notice_text(request.query_params.get("notice")),
        **context,
    )


@router.get("")
def article_list(request: Request, db: DB, viewer: Writer, status: str = "") -> Response:
    return render(
        request,
        "helpcenter/manage.html",
        rows=queries.staff_articles(db, viewer, status if status in STATUS_LABELS else ""),
        status=status,
        status_labels=STATUS_LABELS,
    )


@router.get("/new")
def new_article_page(
    request: Request, db: DB, viewer: Writer, from_entry: int | None = None, title: str = ""
) -> Response:
    """Empty; titled by a question nobody found an answer to (knowledge gaps); or ("create
    article from this") prefilled from a knowledge entry."""
    if from_entry is None:
        form = ArticleForm()
        language = "en" if title.isascii() else "zh"
        form.text[language] = (title.strip()[:300], "", "")
        return _form_page(request, db, viewer, form)
    entry = visible_entry(db, viewer, from_entry)
    return _form_page(request, db, viewer, ArticleForm.from_entry(entry), sources=[entry])


@router.post("/new")
def create(
    request: Request, db: DB, viewer: Writer, form: Annotated[ArticleForm, Depends()]
) -> Response:
    try:
        article = service.create_article(
            db, viewer, form.settings(), form.drafts(), form.source_entry_ids
        )
    except Problem as problem:
        db.rollback()
        return _form_page(request, db, viewer, form, error=problem)
    return redirect_with_notice(f"/help/manage/{article.id}", "saved")


@router.get("/health")
def health_page(request: Request, db: DB, viewer: Writer) -> Response:
    """Articles that need attention: overdue, flagged, unhelpful, never viewed."""
    return render(
        request,
        "helpcenter/health.html",
        health=freshness.content_health(db, viewer),
        title_of=freshness.title_of,
    )


@router.get("/structure")
def structure_page(request: Request, db: DB, viewer: Manager) -> Response:
    return _structure(request, db)


def _structure(request: Request, db: Session, error: Problem | None = None) -> Response:
    return render(
        request,
        "helpcenter/structure.html",
        status_code=error.status if error else 200,
        tree=queries.category_tree(db),
        teams=list_teams(db),
        error=error,
        notice=notice_text(request.query_params.get("notice")),
    )


@router.post("/structure/categories")
def save_category(
    request: Request,
    db: DB,
    viewer: Manager,
    slug: Annotated[str, Form()],
    name_zh: Annotated[str, Form()],
    name_en: Annotated[str, Form()],
    requires_review: Annotated[bool, Form()] = False,
    reviewer_team_id: Annotated[str, Form()] = "",
    position: Annotated[str, Form()] = "0",
    category_id: Annotated[str, Form()] = "",
) -> Response:
    try:
        structure.save_category(
            db,
            viewer,
            slug=slug,
            name_zh=name_zh,
            name_en=name_en,
            requires_review=requires_review,
            reviewer_team_id=_number(reviewer_team_id),
            position=_number(position) or 0,
            category_id=_number(category_id),
        )
    except Problem as problem:
        db.rollback()
        return _structure(request, db, problem)
    return redirect_with_notice("/help/manage/structure", "saved")


@router.post("/structure/sections")
def save_section(
    request: Request,
    db: DB,
    viewer: Manager,
    category_id: Annotated[str, Form()],
    slug: Annotated[str, Form()],
    name_zh: Annotated[str, Form()],
    name_en: Annotated[str, Form()],
    position: Annotated[str, Form()] = "0",
    section_id: Annotated[str, Form()] = "",
) -> Response:
    try:
        structure.save_section(
            db,
            viewer,
            category_id=_number(category_id) or 0,
            slug=slug,
            name_zh=name_zh,
            name_en=name_en,
            position=_number(position) or 0,
            section_id=_number(section_id),
        )
    except Problem as problem:
        db.rollback()
        return _structure(request, db, problem)
    return redirect_with_notice("/help/manage/structure", "saved")


@router.get("/{article_id}")
def edit_page(request: Request, db: DB, viewer: Writer, article_id: int) -> Response:
    return _edit_page(request, db, viewer, queries.editable_article(db, viewer, article_id))


def _edit_page(
    request: Request, db: Session, viewer: Viewer, article: Article, error: Problem | None = None
) -> Response:
    form = ArticleForm.of(article, queries.newest_versions(db, article))
    form.related = queries.slugs(db, service.related_ids(db, article.id))
    return _form_page(request, db, viewer, form, article, error)


@router.post("/{article_id}/attachments")
def upload_attachment(
    request: Request,
    db: DB,
    viewer: Writer,
    article_id: int,
    file: Annotated[UploadFile, File()],
) -> Response:
    article = queries.editable_article(db, viewer, article_id)
    try:
        attachments.add_attachment(db, viewer, article.id, file.filename or "", file.file)
    except Problem as problem:
        db.rollback()
        return _edit_page(request, db, viewer, article, problem)
    return redirect_with_notice(f"/help/manage/{article.id}", "saved")


@router.post("/{article_id}/attachments/{attachment_id}/delete")
def delete_attachment(db: DB, viewer: Writer, article_id: int, attachment_id: int) -> Response:
    attachments.delete_attachment(db, viewer, article_id, attachment_id)
    return redirect_with_notice(f"/help/manage/{article_id}", "saved")


@router.post("/{article_id}")
def save(
    request: Request,
    db: DB,
    viewer: Writer,
    article_id: int,
    form: Annotated[ArticleForm, Depends()],
) -> Response:
    article = queries.editable_article(db, viewer, article_id)
    try:
        service.update_article(db, viewer, article.id, form.settings(), form.drafts())
        service.set_related(db, viewer, article.id, form.related)
    except Problem as problem:
        db.rollback()
        return _form_page(request, db, viewer, form, article, problem)
    return redirect_with_notice(f"/help/manage/{article.id}", "saved")


@router.post("/{article_id}/workflow")
def workflow(
    db: DB,
    viewer: Writer,
    article_id: int,
    step: Annotated[str, Form()],
    comment: Annotated[str, Form()] = "",
) -> Response:
    """Submit, publish, review (comment, request changes, approve), archive, unarchive."""
    article = queries.editable_article(db, viewer, article_id)
    steps = {
        "submit": lambda: service.submit_for_review(db, viewer, article.id),
        "publish": lambda: service.publish_article(db, viewer, article.id),
        "archive": lambda: service.archive_article(db, viewer, article.id),
        "unarchive": lambda: service.unarchive_article(db, viewer, article.id),
    }
    if step in steps:
        steps[step]()
    else:
        service.review_article(db, viewer, article.id, step, comment)
    return redirect_with_notice(f"/help/manage/{article.id}", "saved")


@router.post("/{article_id}/verify")
def verify(db: DB, viewer: Writer, article_id: int) -> Response:
    article = queries.editable_article(db, viewer, article_id)
    freshness.verify_article(db, viewer, article.id)
    return redirect_with_notice(f"/help/manage/{article.id}", "saved")


@router.post("/{article_id}/flags/{flag_id}/resolve")
def resolve_flag(db: DB, viewer: Writer, article_id: int, flag_id: int) -> Response:
    article = queries.editable_article(db, viewer, article_id)
    flag = freshness.resolve_flag(db, viewer, flag_id)
    if flag.article_id != article.id:
        raise not_found(N_("Flag"))
    return redirect_with_notice(f"/help/manage/{article.id}", "saved")


@router.get("/{article_id}/versions/{version_id}")
def version_page(
    request: Request, db: DB, viewer: Writer, article_id: int, version_id: int
) -> Response:
    article = queries.editable_article(db, viewer, article_id)
    version = db.get(ArticleVersion, version_id)
    if version is None or version.article_id != article.id:
        raise not_found(N_("Version"))
    previous = queries.previous_version(db, version)
    return render(
        request,
        "helpcenter/version.html",
        article=article,
        version=version,
        previous=previous,
        diff=_diff(previous, version),
    )


@router.post("/{article_id}/versions/{version_id}/restore")
def restore(db: DB, viewer: Writer, article_id: int, version_id: int) -> Response:
    article = queries.editable_article(db, viewer, article_id)
    service.restore_version(db, viewer, article.id, version_id)
    return redirect_with_notice(f"/help/manage/{article.id}", "saved")


def _diff(old: ArticleVersion | None, new: ArticleVersion) -> Markup:
    """Line by line, as a table: removed lines marked <del>, added lines <ins>."""
    before = [old.title, "", *old.body.splitlines()] if old else []
    after = [new.title, "", *new.body.splitlines()]
    rows = []
    for line in difflib.ndiff(before, after):
        mark, text = line[:1], line[2:]
        if mark == "?":
            continue
        tag = {"-": "del", "+": "ins"}.get(mark)
        cell = Markup("<{0}>{1}</{0}>").format(tag, text) if tag else Markup("{}").format(text)
        rows.append(Markup('<tr class="{}"><td>{}</td></tr>').format(tag or "same", cell))
    return Markup("").join(rows)
