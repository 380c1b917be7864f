"""Shared fixtures: every test that touches the database runs on SQLite and on PostgreSQL.

Each test gets a fresh, migrated workspace: SQLite by copying a database file migrated once per
run, PostgreSQL by `CREATE DATABASE … TEMPLATE` from a database migrated once per run (pgserver
bundles PostgreSQL 16 with pgvector). `--db sqlite` or `--db postgresql` narrows the matrix.
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.orm import Session

from ckhub.app import create_app
from ckhub.db.migrate import upgrade
from ckhub.runtime import Runtime, build_runtime
from ckhub.settings import Settings


def _provide_runtime_dir() -> None:
    """pgserver asks platformdirs for a runtime folder, which warns when this is unset (as in
    CI); Chromium keeps its dconf there too. A folder made here goes when the session ends."""
    if "XDG_RUNTIME_DIR" in os.environ:
        return
    folder = tempfile.mkdtemp(prefix="ckhub-run-")
    os.environ["XDG_RUNTIME_DIR"] = folder
    atexit.register(shutil.rmtree, folder, ignore_errors=True)


_provide_runtime_dir()

BACKENDS = ("sqlite", "postgresql")
TEST_SECRET = "test-secret-key-that-is-long-enough-for-production-0123456789"
_counter = itertools.count()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db", default=",".join(BACKENDS), help="Comma-separated backends: sqlite,postgresql"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db_backend" in metafunc.fixturenames:
        chosen = [b.strip() for b in metafunc.config.getoption("--db").split(",") if b.strip()]
        metafunc.parametrize("db_backend", chosen, indirect=True, scope="session")


@dataclass
class Backend:
    name: str
    template: str  # a migrated SQLite file path, or a PostgreSQL template database name
    server_uri: str = ""  # PostgreSQL: URI of the maintenance database


def _psycopg_url(uri: str) -> str:
    return uri.replace("postgresql://", "postgresql+psycopg://", 1)


@pytest.fixture(scope="session")
def db_backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Backend:
    name = request.param
    base = tmp_path_factory.mktemp(f"template-{name}")
    if name == "sqlite":
        settings = Settings(var_dir=base, secret_key=TEST_SECRET)
        engine = create_engine(settings.resolved_database_url)
        upgrade(engine)
        engine.dispose()
        return Backend(name, str(base / "ckhub.db"))
    if name == "postgresql":
        import pgserver

        # Unix socket paths are limited to 107 bytes, so the cluster lives in a short folder.
        pgdata = Path(tempfile.mkdtemp(prefix="ckpg-"))
        server = pgserver.get_server(pgdata, cleanup_mode="delete")
        request.addfinalizer(server.cleanup)
        server.psql("DROP DATABASE IF EXISTS ckhub_template;")
        server.psql("CREATE DATABASE ckhub_template;")
        engine = create_engine(_psycopg_url(server.get_uri("ckhub_template")))
        upgrade(engine)
        engine.dispose()
        return Backend(name, "ckhub_template", server.get_uri("postgres"))
    raise pytest.UsageError(f"unknown --db backend {name!r}")


@pytest.fixture
def settings(db_backend: Backend, tmp_path: Path) -> Iterator[Settings]:
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    overrides: dict[str, object] = {
        "var_dir": var_dir,
        "secret_key": TEST_SECRET,
        "queue_immediate": True,
        "default_locale": "en",
    }
    if db_backend.name == "sqlite":
        shutil.copy(db_backend.template, var_dir / "ckhub.db")
        yield Settings(**overrides)  # type: ignore[arg-type]
        return
    database = f"test_{os.getpid()}_{next(_counter)}"
    admin = create_engine(_psycopg_url(db_backend.server_uri), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{database}" TEMPLATE {db_backend.template}'))
    url = make_url(_psycopg_url(db_backend.server_uri)).set(database=database)
    yield Settings(database_url=url.render_as_string(hide_password=False), **overrides)  # type: ignore[arg-type]
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    built = build_runtime(settings)
    yield built
    built.close()


@pytest.fixture
def db(runtime: Runtime) -> Iterator[Session]:
    with runtime.session_factory() as session:
        yield session


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime=runtime), follow_redirects=False) as test_client:
        yield test_client
