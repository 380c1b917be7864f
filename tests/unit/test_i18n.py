"""Every UI string is translated; the language follows the user, then the browser."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from babel.messages.pofile import read_po

from ckhub.web.i18n import LOCALE_DIR, choose_locale, parse_accept_language

ROOT = Path(__file__).resolve().parents[2]


def _extractor():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "update_translations", ROOT / "scripts" / "update_translations.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_ui_string_has_a_chinese_translation() -> None:
    with (LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale="zh_Hans")
    source = {m.id if isinstance(m.id, str) else m.id[0] for m in _extractor().extract() if m.id}
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    missing = sorted(source - translated)
    assert missing == [], f"untranslated (run `make translations`, then translate): {missing}"


def test_accept_language_order_and_quality() -> None:
    assert parse_accept_language("en;q=0.5, zh-CN, fr;q=0") == ["zh-cn", "en"]


def test_locale_choice_order() -> None:
    assert choose_locale("en", "zh_Hans", "zh-CN", "zh_Hans") == "en"  # the user's setting
    assert choose_locale(None, "en", "zh-CN", "zh_Hans") == "en"  # then the switch (cookie)
    assert choose_locale(None, None, "zh-TW,en;q=0.8", "en") == "zh_Hans"  # then the browser
    assert choose_locale(None, None, "en-US,en;q=0.9", "zh_Hans") == "en"
    assert choose_locale(None, None, "fr-FR", "zh_Hans") == "zh_Hans"  # then the default
    assert choose_locale(None, "klingon", "", "en") == "en"
