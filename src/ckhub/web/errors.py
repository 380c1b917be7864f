"""Error rendering (DESIGN.md rule 4): RFC 9457 problem JSON for the API, a page for people.

No stack trace reaches a user: unexpected exceptions are logged with an incident id and the user
sees only that id.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ckhub.errors import Problem
from ckhub.web import i18n
from ckhub.web.templating import render

log = logging.getLogger(__name__)

_STATUS_TITLES = {
    400: i18n.N_("The request could not be understood"),
    401: i18n.N_("Sign-in required"),
    403: i18n.N_("Not allowed"),
    404: i18n.N_("Page not found"),
    405: i18n.N_("Not allowed"),
    409: i18n.N_("Conflict"),
    413: i18n.N_("Too large"),
    422: i18n.N_("Please check your input"),
    429: i18n.N_("Too many attempts"),
    500: i18n.N_("Something went wrong"),
}


def wants_json(request: Request) -> bool:
    if request.url.path.startswith("/api/"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _problem_json(request: Request, status: int, code: str, detail: str, **extra: Any) -> Response:
    body = {
        "type": f"urn:ckhub:problem:{code}",
        "title": _STATUS_TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "code": code,
        "instance": request.url.path,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def _problem_page(request: Request, problem: Problem) -> Response:
    title = _STATUS_TITLES.get(problem.status, _STATUS_TITLES[500])
    return render(
        request,
        "web/error.html",
        status_code=problem.status,
        status=problem.status,
        title=title,
        problem=problem,
    )


def problem_response(request: Request, problem: Problem) -> Response:
    if wants_json(request):
        return _problem_json(
            request, problem.status, problem.code, problem.detail, **problem.params
        )
    if problem.code == "signin-required":
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    return _problem_page(request, problem)


async def handle_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Problem)
    return problem_response(request, exc)


async def handle_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    messages = {
        404: i18n.N_("There is nothing at this address."),
        405: i18n.N_("This address does not accept this kind of request."),
    }
    message = messages.get(status, _STATUS_TITLES.get(status, "Error"))
    return problem_response(request, Problem(f"http-{status}", message, status))


async def handle_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"field": ".".join(str(part) for part in error["loc"][1:]), "message": error["msg"]}
        for error in exc.errors()
    ]
    if wants_json(request):
        return _problem_json(
            request, 422, "invalid-input", "Some fields are not valid.", errors=errors
        )
    fields = ", ".join(error["field"] for error in errors)
    problem = Problem(
        "invalid-input", "Some fields are missing or not valid: {fields}.", 422, fields=fields
    )
    return problem_response(request, problem)


async def handle_unexpected(request: Request, exc: Exception) -> Response:
    incident = secrets.token_hex(4)
    log.exception("unhandled error %s on %s %s", incident, request.method, request.url.path)
    problem = Problem(
        "internal-error",
        "An unexpected error happened (incident {incident}). It has been logged.",
        500,
        incident=incident,
    )
    return problem_response(request, problem)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Problem, handle_problem)
    app.add_exception_handler(StarletteHTTPException, handle_http_exception)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    app.add_exception_handler(Exception, handle_unexpected)
