"""Settings defaults give the embedded mode; the secret key is generated once and kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ckhub.cli import app
from ckhub.errors import ConfigurationError
from ckhub.settings import Settings


def test_defaults_are_the_embedded_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings()
    assert settings.resolved_database_url == "sqlite:///var/ckhub.db"
    assert settings.queue == "sqlite"
    assert settings.smtp_host == ""  # mail stays in the outbox
    assert not settings.secure_cookies


def test_development_secret_is_generated_once_and_private(tmp_path: Path) -> None:
    first = Settings(var_dir=tmp_path).ensure_secret_key()
    again = Settings(var_dir=tmp_path).ensure_secret_key()
    assert first == again
    assert len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_refuses_generated_secrets(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="CKHUB_SECRET_KEY"):
        Settings(var_dir=tmp_path, env="production").ensure_secret_key()
    assert not (tmp_path / "secret_key").exists()
    production = Settings(var_dir=tmp_path, env="production", secret_key="k" * 40)
    assert production.ensure_secret_key() == "k" * 40
    assert production.secure_cookies


def test_secret_never_appears_in_the_settings_repr(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path, secret_key="s3cr3t" * 8, smtp_password="mailpass")
    assert "s3cr3t" not in repr(settings)
    assert "mailpass" not in repr(settings)


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        # A mistyped zone would otherwise count every chart's days in UTC without a word.
        ("CKHUB_DEFAULT_TIMEZONE", "Asia/Shangai", "unknown time zone 'Asia/Shangai'"),
        ("CKHUB_SMTP_PORT", "abc", "Input should be a valid integer"),
    ],
)
def test_a_setting_of_the_wrong_form_stops_the_command_naming_its_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, said: str
) -> None:
    monkeypatch.setenv("CKHUB_VAR_DIR", str(tmp_path))
    monkeypatch.setenv(variable, value)
    result = CliRunner().invoke(app, ["user", "list"])
    assert result.exit_code == 2
    assert f"Configuration error: {variable}: {said}" in result.output
    assert "Traceback" not in result.output
