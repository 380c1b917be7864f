"""Jinja2 rendering with the viewer, CSRF token, navigation and translations in every page."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, PrefixLoader, select_autoescape

from ckhub import __version__
from ckhub.areas import AREAS
from ckhub.errors import Problem
from ckhub.timeutil import to_zone
from ckhub.web import i18n
from ckhub.web.nav import nav_for
from ckhub.web.security import request_csrf_token

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _area_loaders() -> dict[str, FileSystemLoader]:
    loaders = {"web": FileSystemLoader(PACKAGE_DIR / "web" / "templates")}
    for area in AREAS:
        folder = PACKAGE_DIR / area / "templates"
        if folder.is_dir():
            loaders[area] = FileSystemLoader(folder)
    return loaders


def make_environment() -> Environment:
    env = Environment(
        loader=PrefixLoader(_area_loaders()),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        version=__version__,
        locale_names=i18n.LOCALE_NAMES,
        problem_text=problem_text,
        local_name=local_name,
    )
    return env


def problem_text(problem: Problem) -> str:
    """A Problem's sentence in the current language, its slots filled (and translated)."""
    params = {
        name: i18n.gettext(value) if isinstance(value, str) else value
        for name, value in problem.params.items()
    }
    return i18n.gettext(problem.message).format(**params)


def local_name(term: object) -> str:
    """The Chinese or English name of a bilingual record (name_zh / name_en), for this page."""
    if term is None:
        return ""
    chinese = i18n.current_locale() == "zh_Hans"
    return str(getattr(term, "name_zh" if chinese else "name_en", "") or "")


def _localtime(value: datetime | None, zone: str, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return "" if value is None else to_zone(value, zone).strftime(fmt)


LANGUAGE_COOKIE = "ckhub_lang"


def request_locale(request: Request) -> str:
    user = getattr(request.state, "user", None)
    return i18n.choose_locale(
        user.locale if user is not None else None,
        request.cookies.get(LANGUAGE_COOKIE),
        request.headers.get("accept-language", ""),
        request.app.state.runtime.settings.default_locale,
    )


def viewer_timezone(request: Request) -> str:
    user = getattr(request.state, "user", None)
    default: str = request.app.state.runtime.settings.default_timezone
    return (user.timezone if user is not None else None) or default


def render(
    request: Request,
    template: str,
    status_code: int = 200,
    locale: str | None = None,
    **context: Any,
) -> HTMLResponse:
    """Render a page in the request's language (or `locale`), with what every page needs."""
    env: Environment = request.app.state.templates
    locale = locale or request_locale(request)
    i18n.set_locale(locale)
    viewer = getattr(request.state, "viewer", None)
    user = getattr(request.state, "user", None)
    zone = viewer_timezone(request)
    page = env.get_template(template).render(
        request=request,
        viewer=viewer,
        user=user,
        locale=locale,
        csrf_token=request_csrf_token(request),
        main_nav=nav_for(viewer, "main") if viewer else [],
        admin_nav=nav_for(viewer, "admin") if viewer else [],
        localtime=lambda value, fmt="%Y-%m-%d %H:%M": _localtime(value, zone, fmt),
        **context,
    )
    return HTMLResponse(page, status_code=status_code)


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"
