"""The areas of the product, in one list: their models, tasks and web routes are loaded from here.

Adding an area means adding its name here; app.py, the migrations and the queue do the rest.
"""

from __future__ import annotations

import importlib
from types import ModuleType

AREAS = (
    "auth",
    "jobs",
    "notify",
    "knowledge",
    "search",
    "usage",
    "helpcenter",
    "assistant",
    "dashboard",
    "insights",
    "feedback",
    "demo",
    "bench",
)


def _import_all(module: str) -> list[ModuleType]:
    found = []
    for area in AREAS:
        try:
            found.append(importlib.import_module(f"ckhub.{area}.{module}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"ckhub.{area}.{module}":
                raise
    return found


def load_models() -> None:
    _import_all("models")


def load_tasks() -> None:
    _import_all("tasks")


def route_modules() -> list[ModuleType]:
    """Each area's `routes` module (pages) and `api` module (JSON under /api/v1)."""
    return _import_all("routes") + _import_all("api")


def embedded_route_modules() -> list[ModuleType]:
    """Each area's `embedded_routes`: pages shown inside other sites (the chat widget). They
    never read cookies, so they carry no CSRF check, and other sites may frame them."""
    return _import_all("embedded_routes")
