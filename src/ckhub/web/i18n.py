"""UI languages: Babel catalogs, locale negotiation, and the gettext used while rendering.

Catalogs are the `.po` files in `web/locale`, compiled in memory when first used, so there is no
compiled file in the repository to forget to rebuild.
"""

from __future__ import annotations

import gettext as gettext_module
from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path

from babel import Locale, negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from ckhub.i18n_marker import N_

LOCALE_DIR = Path(__file__).parent / "locale"
LOCALES = ("zh_Hans", "en")
LOCALE_NAMES = {"zh_Hans": "简体中文", "en": "English"}
# Browser tags → our locales. All Chinese variants get Simplified: better than English for them.
_ALIASES = {
    "zh": "zh_Hans",
    "zh-cn": "zh_Hans",
    "zh-hans": "zh_Hans",
    "zh-sg": "zh_Hans",
    "zh-tw": "zh_Hans",
    "zh-hk": "zh_Hans",
    "zh-hant": "zh_Hans",
    "en": "en",
}

__all__ = ["N_", "choose_locale", "gettext", "ngettext", "set_locale"]

_current: ContextVar[str] = ContextVar("ckhub_locale", default="en")


@cache
def translations(locale: str) -> gettext_module.NullTranslations:
    po_path = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    if not po_path.exists():
        return gettext_module.NullTranslations()
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=Locale.parse(locale))
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext_module.GNUTranslations(buffer)


def parse_accept_language(header: str) -> list[str]:
    """Language tags from an Accept-Language header, best first."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            weighted.append((-quality, position, tag.strip().lower()))
    return [tag for _, _, tag in sorted(weighted)]


def choose_locale(user_choice: str | None, cookie: str | None, accept: str, default: str) -> str:
    """The user's setting, then the language cookie, then the browser, then the default."""
    for explicit in (user_choice, cookie):
        if explicit in LOCALES:
            return explicit
    preferred = [
        _ALIASES.get(tag, _ALIASES.get(tag.split("-")[0], tag))
        for tag in parse_accept_language(accept)
    ]
    return negotiate_locale(preferred, LOCALES) or default


def set_locale(locale: str) -> None:
    _current.set(locale if locale in LOCALES else "en")


def current_locale() -> str:
    return _current.get()


def gettext(message: str) -> str:
    return translations(current_locale()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_locale()).ngettext(singular, plural, n)


def translate(language: str, message: str, **params: object) -> str:
    """`message` in `language` ("zh", "en" or a locale), its {fields} filled from `params`:
    for text written for someone other than the current request (a chat, an e-mail)."""
    return translated_template(language, message).format(**params)


def translated_template(language: str, message: str) -> str:
    """`message` in `language`, its {fields} left for the caller to fill."""
    locale = {"zh": "zh_Hans", "en": "en"}.get(language, language)
    return translations(locale).gettext(message)
