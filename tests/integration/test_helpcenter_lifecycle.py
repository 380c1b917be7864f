"""Articles go draft → review → published → archived; every save is a version readers never see
until it is published."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Role
from ckhub.auth.service import create_team, set_team_members, viewer_for
from ckhub.errors import Problem
from ckhub.helpcenter.models import ArticleStatus, ArticleVersion, HelpSection
from ckhub.helpcenter.service import (
    ArticleDraft,
    ArticleSettings,
    archive_article,
    create_article,
    publish_article,
    restore_version,
    review_article,
    submit_for_review,
    unarchive_article,
    update_article,
)
from ckhub.helpcenter.structure import save_category, save_section
from tests.factories import SYSTEM, make_user


def _section(
    db: Session, requires_review: bool = True, reviewer_team_id: int | None = None
) -> HelpSection:
    category = save_category(
        db,
        SYSTEM,
        slug="tablets",
        name_zh="平板",
        name_en="Tablets",
        requires_review=requires_review,
        reviewer_team_id=reviewer_team_id,
    )
    return save_section(
        db, SYSTEM, category_id=category.id, slug="sync", name_zh="同步", name_en="Sync"
    )


def _viewer(db: Session, name: str, role: Role):  # type: ignore[no-untyped-def]
    return viewer_for(db, make_user(db, name, role).user)


def _texts(article):  # type: ignore[no-untyped-def]
    return {t.language: (t.title, t.body) for t in article.texts}


def test_review_publishes_and_edits_wait_for_the_next_approval(db: Session) -> None:
    section = _section(db)
    author = _viewer(db, "agent.li", Role.AGENT)
    reviewer = _viewer(db, "km.wang", Role.KNOWLEDGE_MANAGER)
    article = create_article(
        db,
        author,
        ArticleSettings(section_id=section.id, slug="tablet-sync", visibility="public"),
        [
            ArticleDraft("zh", "平板同步失败怎么办", "1. 打开设置\n2. 重新登录"),
            ArticleDraft("en", "Tablet sync fails", "1. Open settings\n2. Sign in again"),
        ],
    )
    assert article.status == ArticleStatus.DRAFT
    assert all(text.published_version_id is None for text in article.texts)
    with pytest.raises(Problem, match="reviewer's approval"):
        publish_article(db, author, article.id)
    with pytest.raises(Problem, match="not waiting for review"):
        review_article(db, reviewer, article.id, "approve")

    submit_for_review(db, author, article.id)
    with pytest.raises(Problem):  # an agent is not a reviewer
        review_article(db, author, article.id, "approve")
    with pytest.raises(Problem, match="Say what should change"):
        review_article(db, reviewer, article.id, "request_changes")
    review_article(db, reviewer, article.id, "request_changes", "第二步写清楚在哪个菜单")
    assert article.status == ArticleStatus.DRAFT

    update_article(
        db,
        author,
        article.id,
        drafts=[ArticleDraft("zh", "平板同步失败怎么办", "1. 打开 设置 → 账户\n2. 重新登录")],
    )
    submit_for_review(db, author, article.id)
    review_article(db, reviewer, article.id, "approve", "好")
    assert article.status == ArticleStatus.PUBLISHED
    assert article.verification_due_at is not None
    assert _texts(article)["zh"][1] == "1. 打开 设置 → 账户\n2. 重新登录"

    # An edit of the published article: readers keep the published text until approval.
    update_article(
        db, author, article.id, drafts=[ArticleDraft("zh", "平板同步失败怎么办（2.3）", "新步骤")]
    )
    assert article.status == ArticleStatus.DRAFT
    assert _texts(article)["zh"] == ("平板同步失败怎么办", "1. 打开 设置 → 账户\n2. 重新登录")
    versions = db.scalars(
        select(ArticleVersion.number).where(
            ArticleVersion.article_id == article.id, ArticleVersion.language == "zh"
        )
    ).all()
    assert sorted(versions) == [1, 2, 3]


def test_authors_cannot_approve_their_own_changes(db: Session) -> None:
    section = _section(db)
    manager = _viewer(db, "km.wang", Role.KNOWLEDGE_MANAGER)
    article = create_article(
        db,
        manager,
        ArticleSettings(section_id=section.id, slug="own"),
        [ArticleDraft("zh", "标题", "正文")],
    )
    submit_for_review(db, manager, article.id)
    with pytest.raises(Problem, match="other than the author"):
        review_article(db, manager, article.id, "approve")


def test_a_categorys_reviewer_team_reviews_its_articles(db: Session) -> None:
    experts = create_team(db, SYSTEM, "平板专家")
    expert = make_user(db, "expert.zhao", Role.EMPLOYEE)
    set_team_members(db, SYSTEM, experts.id, [expert.user.id])
    section = _section(db, reviewer_team_id=experts.id)
    author = _viewer(db, "agent.li", Role.AGENT)
    article = create_article(
        db,
        author,
        ArticleSettings(section_id=section.id, slug="x"),
        [ArticleDraft("zh", "标题", "正文")],
    )
    submit_for_review(db, author, article.id)
    review_article(db, viewer_for(db, expert.user), article.id, "approve")
    assert article.status == ArticleStatus.PUBLISHED


def test_direct_publishing_archive_restore(db: Session) -> None:
    section = _section(db, requires_review=False)
    author = _viewer(db, "agent.li", Role.AGENT)
    article = create_article(
        db,
        author,
        ArticleSettings(section_id=section.id, slug="heater"),
        [ArticleDraft("zh", "热水器不加热", "检查电源")],
    )
    publish_article(db, author, article.id)
    first = article.texts[0].published_version_id
    update_article(
        db, author, article.id, drafts=[ArticleDraft("zh", "热水器不加热", "检查电源和水压")]
    )
    publish_article(db, author, article.id)
    assert _texts(article)["zh"][1] == "检查电源和水压"
    assert first is not None
    restore_version(db, author, article.id, first)
    publish_article(db, author, article.id)
    assert _texts(article)["zh"][1] == "检查电源"
    version = db.get(ArticleVersion, article.texts[0].published_version_id)
    assert version is not None and (version.number, version.restored_from) == (3, 1)

    with pytest.raises(Problem):  # only its owner or a knowledge manager archives
        archive_article(db, _viewer(db, "other", Role.AGENT), article.id)
    archive_article(db, author, article.id)
    with pytest.raises(Problem, match="archive"):
        update_article(db, author, article.id, drafts=[ArticleDraft("zh", "x", "y")])
    unarchive_article(db, SYSTEM, article.id)
    assert article.status == ArticleStatus.DRAFT
    assert article.texts[0].published_version_id is None  # readers see it only after publishing


def test_bad_input_is_named(db: Session) -> None:
    section = _section(db)
    author = _viewer(db, "agent.li", Role.AGENT)
    create_article(
        db,
        author,
        ArticleSettings(section_id=section.id, slug="taken"),
        [ArticleDraft("zh", "a", "b")],
    )
    cases = [
        (
            ArticleSettings(section_id=section.id, slug="Bad Slug"),
            [ArticleDraft("zh", "a", "b")],
            "slug",
        ),
        (
            ArticleSettings(section_id=section.id, slug="taken"),
            [ArticleDraft("zh", "a", "b")],
            "already used",
        ),
        (
            ArticleSettings(section_id=section.id, slug="x2"),
            [ArticleDraft("fr", "a", "b")],
            "zh, en",
        ),
        (
            ArticleSettings(section_id=section.id, slug="x3"),
            [ArticleDraft("zh", " ", "b")],
            "title",
        ),
        (
            ArticleSettings(section_id=section.id, slug="x4", visibility="team"),
            [ArticleDraft("zh", "a", "b")],
            "team",
        ),
        (ArticleSettings(section_id=section.id, slug="x5"), [], "at least one language"),
    ]
    for settings, drafts, message in cases:
        with pytest.raises(Problem, match=message):
            create_article(db, author, settings, drafts)
        db.rollback()
    customer = _viewer(db, "zhou.min", Role.CUSTOMER)
    with pytest.raises(Problem):
        create_article(
            db,
            customer,
            ArticleSettings(section_id=section.id, slug="c"),
            [ArticleDraft("zh", "a", "b")],
        )


def test_readers_see_only_live_articles_meant_for_them(db: Session) -> None:
    from ckhub.auth.permissions import Viewer
    from ckhub.helpcenter.queries import readable_articles
    from ckhub.knowledge.customers import CustomerInput, link_account, save_customer
    from ckhub.knowledge.taxonomy import find_tier

    section = _section(db, requires_review=False)
    author = _viewer(db, "km.wang", Role.KNOWLEDGE_MANAGER)
    ops = create_team(db, SYSTEM, "运维")
    strategic = find_tier(db, "strategic")
    assert strategic is not None

    def article(slug: str, **settings: object) -> int:
        made = create_article(
            db,
            author,
            ArticleSettings(section_id=section.id, slug=slug, **settings),  # type: ignore[arg-type]
            [ArticleDraft("zh", slug, "正文")],
        )
        publish_article(db, author, made.id)
        return made.id

    public = article("public", visibility="public")
    customers_only = article("customers", visibility="customers")
    strategic_only = article("strategic", visibility="customers", tier_ids=(strategic.id,))
    internal = article("internal", visibility="internal")
    team_only = article("team", visibility="team", team_id=ops.id)
    draft = create_article(
        db,
        author,
        ArticleSettings(section_id=section.id, slug="draft", visibility="public"),
        [ArticleDraft("zh", "草稿", "x")],
    ).id
    archived = article("archived", visibility="public")
    archive_article(db, author, archived)

    def readable(viewer: Viewer) -> set[int]:
        return {a.id for a in readable_articles(db, viewer)}

    assert readable(Viewer.anonymous()) == {public}
    customer = _viewer(db, "zhou.min", Role.CUSTOMER)
    assert readable(customer) == {public, customers_only}
    account = save_customer(db, SYSTEM, CustomerInput(name="华星", tier="strategic"))
    db.commit()
    link_account(db, SYSTEM, customer.user_id or 0, account.id)
    assert readable(customer) == {public, customers_only, strategic_only}
    agent = _viewer(db, "agent.li", Role.AGENT)
    assert readable(agent) == {public, customers_only, strategic_only, internal}
    assert readable(author) == {public, customers_only, strategic_only, internal, team_only}
    assert draft not in readable(author) and archived not in readable(author)
