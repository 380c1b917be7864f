"""Articles stay true: overdue ones are marked, owners reminded, leads told, flags routed."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Role
from ckhub.auth.service import create_team, set_team_members, viewer_for
from ckhub.helpcenter.freshness import check_freshness, content_health, verify_article
from ckhub.helpcenter.models import Article
from ckhub.helpcenter.service import ArticleDraft, ArticleSettings, create_article, publish_article
from ckhub.helpcenter.structure import save_category, save_section
from ckhub.notify.models import Notification, OutboxMessage
from ckhub.runtime import Runtime
from ckhub.timeutil import utcnow
from tests.factories import SYSTEM, make_user, post_form, sign_in


def _article(db: Session, owner_id: int, days: int = 30) -> Article:
    category = save_category(
        db, SYSTEM, slug="tablets", name_zh="平板", name_en="Tablets", requires_review=False
    )
    section = save_section(
        db, SYSTEM, category_id=category.id, slug="sync", name_zh="同步", name_en="Sync"
    )
    article = create_article(
        db,
        SYSTEM,
        ArticleSettings(
            section_id=section.id, slug="sync-22", owner_id=owner_id, verify_every_days=days
        ),
        [ArticleDraft("zh", "平板同步失败怎么办（固件 2.2）", "打开 设置 → 账户 → 同步设置")],
    )
    return publish_article(db, SYSTEM, article.id)


def test_overdue_articles_remind_the_owner_then_the_lead(db: Session, runtime: Runtime) -> None:
    owner = make_user(db, "agent.li", Role.AGENT, email="li@example.com")
    lead = make_user(db, "lead.chen", Role.KNOWLEDGE_MANAGER, email="chen@example.com")
    team = create_team(db, SYSTEM, "支持一组")
    set_team_members(db, SYSTEM, team.id, [owner.user.id, lead.user.id], lead_ids=[lead.user.id])
    article = _article(db, owner.user.id)
    settings = runtime.settings

    assert check_freshness(db, settings)["marked"] == 0  # not due yet
    due = utcnow() + timedelta(days=31)
    assert check_freshness(db, settings, due) == {
        "marked": 1,
        "owners_reminded": 1,
        "leads_reminded": 0,
    }
    assert article.needs_verification
    assert check_freshness(db, settings, due + timedelta(days=1))["owners_reminded"] == 0  # once
    escalated = check_freshness(db, settings, due + timedelta(days=8))
    assert escalated["leads_reminded"] == 1
    notes = db.scalars(select(Notification).order_by(Notification.id)).all()
    assert [(n.user_id, n.link) for n in notes] == [
        (owner.user.id, f"/help/manage/{article.id}"),
        (lead.user.id, f"/help/manage/{article.id}"),
    ]
    assert "平板同步失败怎么办（固件 2.2）" in notes[0].subject  # in the owner's language
    mails = db.scalars(select(OutboxMessage.to_address)).all()
    assert sorted(mails) == ["chen@example.com", "li@example.com"]
    assert [a.id for a in content_health(db, SYSTEM).overdue] == [article.id]

    verify_article(db, viewer_for(db, owner.user), article.id)
    assert not article.needs_verification
    assert article.verification_due_at is not None and article.verification_due_at > utcnow()


def test_flagging_reaches_the_owner_and_shows_on_the_health_page(
    client: TestClient, db: Session
) -> None:
    owner = make_user(db, "agent.li", Role.AGENT, email="li@example.com")
    article = _article(db, owner.user.id)
    make_user(db, "emp.zhou", Role.EMPLOYEE)
    sign_in(client, "emp.zhou")
    flagged = post_form(
        client,
        f"/help/articles/{article.slug}/flag",
        {"reason": "2.3 里菜单改了，没有“同步设置”了"},
        page=f"/help/articles/{article.slug}",
    )
    assert flagged.status_code == 303
    page = client.get(flagged.headers["location"]).text
    assert "owner has been told" in page
    assert "<title>平板同步失败怎么办（固件 2.2） · ckhub</title>" in page
    note = db.scalars(select(Notification)).one()
    assert note.user_id == owner.user.id and "没有“同步设置”了" in note.body

    owner_browser = TestClient(client.app, follow_redirects=False)
    sign_in(owner_browser, "agent.li")
    assert "2.3 里菜单改了" in owner_browser.get("/notifications").text
    health = owner_browser.get("/help/manage/health").text
    assert (
        "平板同步失败怎么办（固件 2.2）" in health.split('id="flagged"')[1].split("</section>")[0]
    )
    edit = owner_browser.get(f"/help/manage/{article.id}").text
    flag_id = edit.split("/flags/")[1].split("/")[0]
    post_form(
        owner_browser,
        f"/help/manage/{article.id}/flags/{flag_id}/resolve",
        {},
        page=f"/help/manage/{article.id}",
    )
    health = owner_browser.get("/help/manage/health").text
    assert "平板同步失败" not in health.split('id="flagged"')[1].split("</section>")[0]
