"""The application factory: mounts every area's routes, templates, errors and middleware."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from ckhub import __version__
from ckhub.areas import embedded_route_modules, route_modules
from ckhub.runtime import Runtime, build_runtime
from ckhub.settings import Settings
from ckhub.web import routes as shell_routes
from ckhub.web.errors import install_error_handlers
from ckhub.web.security import security_middleware, verify_csrf
from ckhub.web.templating import make_environment

STATIC_DIR = Path(__file__).parent / "web" / "static"
API_DESCRIPTION = """JSON API of ckhub. Authenticate with a personal access token:
`Authorization: Bearer ckh_…` (create one under Account → API tokens). Errors are
RFC 9457 problem documents (`application/problem+json`)."""


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    runtime = runtime or build_runtime(settings or Settings())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        runtime.close()

    app = FastAPI(
        title="ckhub API",
        version=__version__,
        description=API_DESCRIPTION,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    app.state.templates = make_environment()
    install_error_handlers(app)
    app.middleware("http")(security_middleware(runtime.settings))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    # CSRF is enforced on every router here, so no form can forget it.
    csrf = [Depends(verify_csrf)]
    app.include_router(shell_routes.router, dependencies=csrf)
    for module in route_modules():
        router: APIRouter = module.router
        app.include_router(router, dependencies=csrf)
    for module in embedded_route_modules():
        app.include_router(module.router)
    return app
