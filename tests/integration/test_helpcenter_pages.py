"""The help center as readers see it: public pages without sign-in, nothing internal leaks."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Role
from ckhub.auth.service import viewer_for
from ckhub.helpcenter.models import Article
from ckhub.helpcenter.service import ArticleDraft, ArticleSettings, create_article, publish_article
from ckhub.helpcenter.structure import save_category, save_section
from tests.factories import SYSTEM, make_user, post_form, sign_in


def _published(db: Session, slug: str, visibility: str, zh: str, en: str = "") -> Article:
    category = save_category(
        db, SYSTEM, slug=f"c-{slug}", name_zh="平板", name_en="Tablets", requires_review=False
    )
    section = save_section(
        db, SYSTEM, category_id=category.id, slug="sync", name_zh="同步", name_en="Sync"
    )
    author = viewer_for(db, make_user(db, f"author-{slug}", Role.KNOWLEDGE_MANAGER).user)
    drafts = [
        ArticleDraft("zh", zh, "## 步骤\n\n1. 打开设置\n2. 重新登录\n\n<script>alert(1)</script>")
    ]
    if en:
        drafts.append(ArticleDraft("en", en, "1. Open settings\n2. Sign in again"))
    article = create_article(
        db, author, ArticleSettings(section_id=section.id, slug=slug, visibility=visibility), drafts
    )
    return publish_article(db, author, article.id)


def test_public_article_is_read_without_signing_in(client: TestClient, db: Session) -> None:
    _published(db, "tablet-sync", "public", "平板同步失败怎么办", "Tablet sync fails")
    _published(db, "known-defect", "internal", "已知缺陷：同步（内部）")
    home = client.get("/help", headers={"Accept-Language": "zh-CN"})
    assert home.status_code == 200
    assert "平板同步失败怎么办" in home.text and "已知缺陷" not in home.text
    page = client.get("/help/articles/tablet-sync", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200
    assert "<h2>步骤</h2>" in page.text and "<li>打开设置</li>" in page.text
    assert "<script>alert(1)</script>" not in page.text  # raw HTML in Markdown stays text
    assert '<meta name="description" content="步骤 1. 打开设置' in page.text
    english = client.get("/help/articles/tablet-sync", headers={"Accept-Language": "en"})
    assert "Tablet sync fails" in english.text
    assert client.get("/help/articles/known-defect").status_code == 404
    sitemap = client.get("/sitemap.xml").text
    assert "/help/articles/tablet-sync" in sitemap and "known-defect" not in sitemap


def test_staff_read_internal_articles_and_readers_leave_feedback(
    client: TestClient, db: Session
) -> None:
    article = _published(db, "known-defect", "internal", "已知缺陷：同步（内部）")
    make_user(db, "agent.li", Role.AGENT)
    sign_in(client, "agent.li")
    assert client.get("/help/articles/known-defect").status_code == 200
    sent = post_form(
        client,
        "/help/articles/known-defect/feedback",
        {"helpful": "no", "comment": "第二步找不到菜单"},
        page="/help/articles/known-defect",
    )
    assert sent.status_code == 303
    assert "Thank you" in client.get(sent.headers["location"]).text
    db.refresh(article)
    assert (article.helpful_no, article.helpful_yes) == (1, 0)
    assert article.views == 3  # read, read again for the form, the thank-you page
    assert "known-defect" not in client.get("/sitemap.xml").text  # signed in or not


def test_write_review_publish_on_the_editors_pages(client: TestClient, db: Session) -> None:
    category = save_category(db, SYSTEM, slug="tablets", name_zh="平板", name_en="Tablets")
    section = save_section(
        db, SYSTEM, category_id=category.id, slug="sync", name_zh="同步", name_en="Sync"
    )
    make_user(db, "agent.li", Role.AGENT)
    make_user(db, "km.wang", Role.KNOWLEDGE_MANAGER)
    sign_in(client, "agent.li")
    created = post_form(
        client,
        "/help/manage/new",
        {
            "section_id": section.id,
            "slug": "tablet-sync",
            "visibility": "public",
            "title_zh": "平板同步失败怎么办",
            "body_zh": "1. 打开设置",
            "verify_every_days": "90",
        },
        page="/help/manage/new",
    )
    assert created.status_code == 303, created.text
    edit_url = created.headers["location"].split("?")[0]
    edited = post_form(
        client,
        edit_url,
        {
            "section_id": section.id,
            "slug": "tablet-sync",
            "visibility": "public",
            "title_zh": "平板同步失败怎么办",
            "body_zh": "1. 打开 设置 → 账户",
            "note": "菜单路径",
        },
        page=edit_url,
    )
    assert edited.status_code == 303
    page = client.get(edit_url).text
    assert "菜单路径" in page and "Send for review" in page
    listed = client.get("/help/manage", params={"status": "draft"}).text
    assert "平板同步失败怎么办" in listed
    assert client.get("/help/articles/tablet-sync").status_code == 404  # not published yet
    post_form(client, f"{edit_url}/workflow", {"step": "submit"}, page=edit_url)
    assert "Waiting for a reviewer" in client.get(edit_url).text

    reviewer = TestClient(client.app, follow_redirects=False)
    sign_in(reviewer, "km.wang")
    approved = post_form(
        reviewer, f"{edit_url}/workflow", {"step": "approve", "comment": "好"}, page=edit_url
    )
    assert approved.status_code == 303
    public = TestClient(client.app).get("/help/articles/tablet-sync")
    assert "打开 设置 → 账户" in public.text

    history = client.get(edit_url).text.split('id="history"')[1]
    first = history.split("/versions/")[2].split('"')[0]  # the list is newest first: #2, #1
    diff = client.get(f"{edit_url}/versions/{first}").text
    assert "The first version" in diff
    missing = post_form(client, "/help/manage/new", {"slug": "x"}, page="/help/manage/new")
    assert missing.status_code == 422 and "Choose the section" in missing.text


def test_an_article_is_written_from_a_knowledge_entry(client: TestClient, db: Session) -> None:
    from tests.knowledge_factories import entry, ingest

    [source] = ingest(
        db, entry("平板升级后同步失败，客服说重新登录就好了，电话13812345678", source_id="t1")
    )
    category = save_category(db, SYSTEM, slug="tablets", name_zh="平板", name_en="Tablets")
    section = save_section(
        db, SYSTEM, category_id=category.id, slug="s", name_zh="同步", name_en="Sync"
    )
    make_user(db, "agent.li", Role.AGENT)
    sign_in(client, "agent.li")
    assert (
        "/help/manage/new?from_entry=" in client.get(f"/knowledge/entries/{source.entry_id}").text
    )
    form = client.get("/help/manage/new", params={"from_entry": source.entry_id}).text
    assert "重新登录就好了" in form and "[PHONE]" in form and "13812345678" not in form
    created = post_form(
        client,
        "/help/manage/new",
        {
            "section_id": section.id,
            "slug": "sync-relogin",
            "title_zh": "同步失败：重新登录",
            "body_zh": "重新登录即可",
            "source_entry_ids": str(source.entry_id),
        },
        page="/help/manage/new",
    )
    assert created.status_code == 303
    page = client.get(created.headers["location"]).text
    assert f'href="/knowledge/entries/{source.entry_id}"' in page  # linked to its source


def test_search_finds_articles_by_words_and_meaning_within_permissions(
    client: TestClient, db: Session
) -> None:
    from sqlalchemy import select

    from ckhub.search.models import SearchQuery

    _published(db, "tablet-sync", "public", "平板同步失败怎么办", "Tablet sync fails")
    _published(db, "known-defect", "internal", "已知缺陷：平板同步（内部）")
    live = client.get(
        "/help/search", params={"q": "平板同步", "live": "1"}, headers={"HX-Request": "true"}
    )
    assert "<html" not in live.text and 'href="/help/articles/tablet-sync?q=' in live.text
    assert "known-defect" not in live.text  # internal: never shown to visitors
    assert db.scalars(select(SearchQuery)).all() == []  # typing is not logged
    english = client.get("/help/search", params={"q": "my tablet will not synchronize"})
    assert 'href="/help/articles/tablet-sync?q=' in english.text  # by meaning, across languages
    logged = db.scalars(select(SearchQuery)).one()
    assert logged.surface == "helpcenter" and logged.top_similarity is not None
    make_user(db, "agent.li", Role.AGENT)
    sign_in(client, "agent.li")
    assert "known-defect" in client.get("/help/search", params={"q": "已知缺陷 平板同步"}).text


def test_managers_organize_categories_and_sections(client: TestClient, db: Session) -> None:
    make_user(db, "km.wang", Role.KNOWLEDGE_MANAGER)
    sign_in(client, "km.wang")
    assert "Create a category and a section first" in client.get("/help/manage/new").text
    saved = post_form(
        client,
        "/help/manage/structure/categories",
        {"slug": "tablets", "name_zh": "平板", "name_en": "Tablets", "requires_review": "true"},
        page="/help/manage/structure",
    )
    assert saved.status_code == 303
    page = client.get("/help/manage/structure").text
    category_id = page.split('name="category_id" value="')[1].split('"')[0]
    post_form(
        client,
        "/help/manage/structure/sections",
        {"category_id": category_id, "slug": "sync", "name_zh": "同步", "name_en": "Sync"},
        page="/help/manage/structure",
    )
    assert "<code>sync</code>" in client.get("/help/manage/structure").text
    assert 'value="' in client.get("/help/manage/new").text.split('name="section_id"')[1]
    clash = post_form(
        client,
        "/help/manage/structure/categories",
        {"slug": "tablets", "name_zh": "平板2", "name_en": "Tablets 2"},
        page="/help/manage/structure",
    )
    assert clash.status_code == 409 and "already used" in clash.text
    make_user(db, "agent.li", Role.AGENT)
    agent = TestClient(client.app, follow_redirects=False)
    sign_in(agent, "agent.li")
    assert agent.get("/help/manage/structure").status_code == 403


def test_related_articles_show_both_ways_within_permissions(
    client: TestClient, db: Session
) -> None:
    first = _published(db, "tablet-sync", "public", "平板同步失败怎么办")
    _published(db, "stylus", "public", "手写笔怎么配对")
    _published(db, "internal-note", "internal", "内部：同步缺陷")
    make_user(db, "km.li", Role.KNOWLEDGE_MANAGER)
    sign_in(client, "km.li")
    edit = f"/help/manage/{first.id}"
    fields = {
        "section_id": first.section_id,
        "slug": "tablet-sync",
        "visibility": "public",
        "title_zh": "平板同步失败怎么办",
        "body_zh": "步骤",
    }
    saved = post_form(client, edit, {**fields, "related": "stylus\ninternal-note"}, page=edit)
    assert saved.status_code == 303
    assert "internal-note" in client.get(edit).text  # the editor sees what was set
    visitor = TestClient(client.app)
    page = visitor.get("/help/articles/tablet-sync").text.split('id="related"')[1]
    assert "手写笔怎么配对" in page and "内部" not in page  # internal: not for visitors
    back = visitor.get("/help/articles/stylus").text
    assert "平板同步失败怎么办" in back.split('id="related"')[1]  # both ways
    wrong = post_form(client, edit, {**fields, "related": "no-such-article"}, page=edit)
    assert wrong.status_code == 422 and "no-such-article" in wrong.text
