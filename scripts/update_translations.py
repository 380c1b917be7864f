"""Extract UI text from src/ and merge it into the catalogs (run via `make translations`).

New messages arrive untranslated and the catalog test fails until someone translates them, so no
English sentence slips into the Chinese UI unnoticed.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src"
LOCALE_DIR = SOURCE / "ckhub" / "web" / "locale"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "Problem": (2,)}
METHOD_MAP = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def extract() -> Catalog:
    template = Catalog(project="ckhub")
    for _filename, _lineno, message, _comments, context in extract_from_dir(
        SOURCE, METHOD_MAP, OPTIONS, KEYWORDS
    ):
        template.add(message, context=context)
    return template


def update(locale: str) -> Path:
    path = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    template = extract()
    if path.exists():
        with path.open("rb") as existing:
            catalog = read_po(existing, locale=locale)
        catalog.update(template, no_fuzzy_matching=True)
    else:
        catalog = Catalog(locale=locale, project="ckhub")
        catalog.update(template)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as output:
        write_po(output, catalog, omit_header=False, sort_output=True, ignore_obsolete=True,
                 width=100)  # fmt: skip
    return path


if __name__ == "__main__":
    print(update("zh_Hans"))
