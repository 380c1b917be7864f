"""The README documents every setting and the two commands."""

from __future__ import annotations

from pathlib import Path

from ckhub.settings import Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_configuration_table() -> None:
    missing = [name for name in Settings.model_fields if f"`CKHUB_{name.upper()}`" not in README]
    assert missing == []


def test_the_two_commands_come_first() -> None:
    head = README[:1500]
    assert "make run" in head
    assert "make test" in head
