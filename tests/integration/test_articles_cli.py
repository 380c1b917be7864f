"""`ckhub articles import`: a folder of Markdown files becomes help-center articles."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from ckhub.cli import app
from ckhub.helpcenter.models import Article, ArticleStatus
from ckhub.helpcenter.queries import published_text
from ckhub.helpcenter.structure import save_category, save_section
from ckhub.settings import Settings
from tests.factories import SYSTEM

runner = CliRunner()


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch, db: Session) -> Settings:
    monkeypatch.setenv("CKHUB_VAR_DIR", str(settings.var_dir))
    monkeypatch.setenv("CKHUB_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CKHUB_SECRET_KEY", settings.secret_key)
    category = save_category(
        db, SYSTEM, slug="tablets", name_zh="平板", name_en="Tablets", requires_review=False
    )
    save_section(db, SYSTEM, category_id=category.id, slug="sync", name_zh="同步", name_en="Sync")
    return settings


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "tablet-sync.zh.md").write_text(
        "# 平板同步失败怎么办\n\n1. 打开 设置 → 账户 → 同步\n2. 重新登录\n", encoding="utf-8"
    )
    (folder / "tablet-sync.en.md").write_text(
        "---\ntitle: Tablet does not sync\nkeywords: sync, 同步\n---\n1. Open Settings\n",
        encoding="utf-8",
    )
    (folder / "heater.md").write_bytes(  # an Excel-era Windows file: GBK
        "---\nvisibility: public\n---\n# 热水器有异响\n\n检查进水阀。\n".encode("gbk")
    )
    (folder / "empty.md").write_text("no heading, no text?", encoding="utf-8")
    return folder


def test_a_folder_becomes_articles_and_can_be_imported_again(
    cli_env: Settings, db: Session, tmp_path: Path
) -> None:
    folder = _folder(tmp_path)
    first = runner.invoke(
        app, ["articles", "import", str(folder), "--section", "tablets/sync", "--publish"]
    )
    assert first.exit_code == 1  # one file was refused, the others imported
    assert "created: 2" in first.output and "published: 2" in first.output
    assert "empty.md: needs a title" in first.output

    db.expire_all()
    sync = db.scalar(select(Article).where(Article.slug == "tablet-sync"))
    assert sync is not None and sync.status == ArticleStatus.PUBLISHED
    assert sync.visibility == "internal"  # the default
    english = published_text(sync, "en")
    assert english is not None and english.title == "Tablet does not sync"
    heater = db.scalar(select(Article).where(Article.slug == "heater"))
    assert heater is not None and heater.visibility == "public"
    chinese = published_text(heater, "zh")
    assert chinese is not None and chinese.title == "热水器有异响"

    (folder / "empty.md").unlink()
    (folder / "heater.md").write_text(
        "# 热水器有异响\n\n检查进水阀，清理过滤网。\n", encoding="utf-8"
    )
    again = runner.invoke(app, ["articles", "import", str(folder), "--section", "tablets/sync"])
    assert again.exit_code == 0, again.output
    assert "updated: 1 (heater)" in again.output and "unchanged: 1 (tablet-sync)" in again.output


def test_an_unknown_section_is_named(cli_env: Settings, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["articles", "import", str(_folder(tmp_path)), "--section", "nope/none"]
    )
    assert result.exit_code != 0 and "nope/none" in result.output
