"""Articles from a folder of Markdown files (`ckhub articles import`), e.g. when moving from
another help center or keeping articles in Git.

One file per article and language: `slug.md`, or `slug.zh.md` and `slug.en.md` for two language
versions of one article. Optional front matter between `---` lines sets `title`, `slug`,
`language`, `visibility` and `keywords`; otherwise the title is the first `# ` heading and the
language is detected. Files in GBK/GB18030 or UTF-16 are read like imports. Importing again adds
a version only where the text changed, so a folder can be re-imported after edits. A file that
cannot be read is reported with its reason; the others are imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Viewer, Visibility
from ckhub.errors import Problem
from ckhub.helpcenter import service
from ckhub.helpcenter.models import (
    Article,
    ArticleStatus,
    ArticleVersion,
    HelpCategory,
    HelpSection,
)
from ckhub.knowledge.connectors.encoding import detect_encoding
from ckhub.text.language import detect_language

_LANGUAGE_SUFFIX = re.compile(r"^(?P<slug>.+?)\.(?P<language>zh|en)$")
_FRONT_MATTER = re.compile(r"\A---\s*\n(?P<head>.*?)\n---\s*\n", re.DOTALL)
_HEADING = re.compile(r"^#\s+(?P<title>.+?)\s*#*\s*$", re.MULTILINE)


@dataclass
class ArticleFile:
    path: Path
    slug: str
    language: str
    title: str
    body: str
    visibility: str = ""
    keywords: str = ""


@dataclass
class FolderImport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    submitted: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (file or slug, reason)


def read_article_file(path: Path) -> ArticleFile:
    text = path.read_text(encoding=detect_encoding(path)).replace("\r\n", "\n").lstrip("\ufeff")
    head: dict[str, str] = {}
    matter = _FRONT_MATTER.match(text)
    if matter:
        for line in matter.group("head").splitlines():
            key, colon, value = line.partition(":")
            if colon:
                head[key.strip().lower()] = value.strip().strip("\"'")
        text = text[matter.end() :]
    stem = path.name[: -len(path.suffix)]
    named = _LANGUAGE_SUFFIX.match(stem)
    slug = head.get("slug") or (named.group("slug") if named else stem)
    title = head.get("title", "")
    if not title:
        heading = _HEADING.search(text)
        if heading:
            title = heading.group("title")
            text = text[: heading.start()] + text[heading.end() :]
    body = text.strip()
    language = head.get("language") or (named.group("language") if named else "")
    if language not in ("zh", "en"):
        language = "en" if detect_language(f"{title}\n{body}") == "en" else "zh"
    return ArticleFile(
        path,
        slug.lower(),
        language,
        title,
        body,
        head.get("visibility", ""),
        head.get("keywords", ""),
    )


def find_section(session: Session, address: str) -> HelpSection:
    """A section by "category-slug/section-slug"."""
    category_slug, _slash, section_slug = address.partition("/")
    section = session.scalar(
        select(HelpSection)
        .join(HelpCategory, HelpCategory.id == HelpSection.category_id)
        .where(HelpCategory.slug == category_slug, HelpSection.slug == section_slug)
    )
    if section is None:
        raise Problem(
            "unknown-section",
            "No section “{address}”: give it as category/section, e.g. tablets/sync.",
            404,
            address=address,
        )
    return section


def import_article_folder(
    session: Session,
    viewer: Viewer,
    folder: Path,
    section_address: str,
    visibility: str = Visibility.INTERNAL.value,
    then: str = "",
) -> FolderImport:
    """Create or update an article per slug; `then` is "", "submit" or "publish"."""
    section = find_section(session, section_address)
    report = FolderImport()
    by_slug: dict[str, list[ArticleFile]] = {}
    for path in sorted(folder.rglob("*.md")):
        shown = str(path.relative_to(folder))
        try:
            found = read_article_file(path)
        except (OSError, UnicodeError) as error:
            report.errors.append((shown, f"cannot be read: {error}"))
            continue
        if not found.title or not found.body:
            report.errors.append((shown, "needs a title (front matter or a # heading) and text"))
            continue
        by_slug.setdefault(found.slug, []).append(found)
    for slug, files in by_slug.items():
        try:
            _import_article(session, viewer, section.id, slug, files, visibility, then, report)
        except Problem as problem:
            session.rollback()
            report.errors.append((slug, problem.detail))
    return report


def _import_article(
    session: Session,
    viewer: Viewer,
    section_id: int,
    slug: str,
    files: list[ArticleFile],
    visibility: str,
    then: str,
    report: FolderImport,
) -> None:
    note = "imported from " + ", ".join(f.path.name for f in files)
    drafts = [service.ArticleDraft(f.language, f.title, f.body, f.keywords, note) for f in files]
    wanted = next((f.visibility for f in files if f.visibility), visibility)
    article = session.scalar(select(Article).where(Article.slug == slug))
    if article is None:
        settings = service.ArticleSettings(section_id=section_id, slug=slug, visibility=wanted)
        article = service.create_article(session, viewer, settings, drafts)
        report.created.append(slug)
    else:
        before = _versions(session, article.id)
        service.update_article(session, viewer, article.id, drafts=drafts)
        changed = _versions(session, article.id) != before
        (report.updated if changed else report.unchanged).append(slug)
    if then == "publish" and article.status != ArticleStatus.PUBLISHED:
        service.publish_article(session, viewer, article.id)
        report.published.append(slug)
    elif then == "submit" and article.status == ArticleStatus.DRAFT:
        service.submit_for_review(session, viewer, article.id)
        report.submitted.append(slug)


def _versions(session: Session, article_id: int) -> int:
    return (
        session.scalar(
            select(func.count(ArticleVersion.id)).where(ArticleVersion.article_id == article_id)
        )
        or 0
    )
