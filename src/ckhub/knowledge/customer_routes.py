"""Customer pages: the list, the customer 360, and the form to create or edit a customer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from ckhub.auth.models import User
from ckhub.auth.permissions import Capability, Role, Viewer
from ckhub.auth.service import find_user_by_login, list_users
from ckhub.errors import Problem
from ckhub.knowledge import customers, queries
from ckhub.knowledge.customers import CustomerInput
from ckhub.knowledge.models import Customer
from ckhub.knowledge.vocabulary import vocabulary
from ckhub.usage.queries import SIGNAL_KINDS, alerts_by_customer, customers_with_alert
from ckhub.usage.service import signals_of
from ckhub.web.deps import DB, StaffViewer, require
from ckhub.web.forms import notice_text, redirect_with_notice
from ckhub.web.templating import render

router = APIRouter(prefix="/customers", include_in_schema=False)
Writer = Annotated[Viewer, Depends(require(Capability.WRITE_KNOWLEDGE))]


class CustomerForm:
    """The customer form's fields; contacts and ids one per line."""

    def __init__(
        self,
        name: Annotated[str, Form()] = "",
        company: Annotated[str, Form()] = "",
        tier: Annotated[str, Form()] = "",
        region: Annotated[str, Form()] = "",
        owner_id: Annotated[str, Form()] = "",
        emails: Annotated[str, Form()] = "",
        phones: Annotated[str, Form()] = "",
        external_ids: Annotated[str, Form()] = "",
    ) -> None:
        self.name, self.company, self.tier, self.region = name, company, tier, region.strip()
        self.owner_id = int(owner_id) if owner_id.isdigit() else None
        self.emails, self.phones = _lines(emails), _lines(phones)
        self.external_ids = _lines(external_ids)

    @classmethod
    def of(cls, customer: Customer | None) -> CustomerForm:
        """The form filled in with what is on record (empty for a new customer)."""
        if customer is None:
            return cls()
        contacts = customer.contacts
        return cls(
            name=customer.name,
            company=customer.company,
            tier=customer.tier.key if customer.tier else "",
            region=customer.region,
            owner_id=str(customer.owner_id or ""),
            emails="\n".join(c.value for c in contacts if c.kind == "email"),
            phones="\n".join(c.value for c in contacts if c.kind == "phone"),
            external_ids="\n".join(f"{x.source}:{x.external_id}" for x in customer.external_ids),
        )

    def to_input(self, viewer: Viewer, current: Customer | None) -> CustomerInput:
        emails, phones = customers.editable_contacts(viewer, current, self.emails, self.phones)
        return CustomerInput(
            name=self.name,
            company=self.company,
            tier=self.tier,
            region=self.region,
            owner_id=self.owner_id,
            emails=emails,
            phones=phones,
            external_ids=tuple(_external_id(line) for line in self.external_ids),
            replace=True,
        )


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _external_id(line: str) -> tuple[str, str]:
    source, separator, value = line.partition(":")
    if not separator or not source.strip() or not value.strip():
        raise Problem(
            "invalid-external-id",
            "Write each id in another system as source:id (e.g. crm:C-1042), not “{line}”.",
            422,
            line=line,
        )
    return source.strip(), value.strip()


@router.get("")
def customers_page(
    request: Request, db: DB, viewer: StaffViewer, q: str = "", signal: str = ""
) -> Response:
    found = customers.list_customers(db, q, limit=500 if signal else 100)
    if signal in SIGNAL_KINDS:
        alerted = customers_with_alert(db, signal)
        found = [customer for customer in found if customer.id in alerted]
    return render(
        request,
        "knowledge/customers.html",
        q=q,
        signal=signal,
        signal_kinds=SIGNAL_KINDS,
        customers=found,
        alerts=alerts_by_customer(db, [customer.id for customer in found]),
        can_write=viewer.can(Capability.WRITE_KNOWLEDGE),
        **vocabulary(db),
    )


@router.get("/new")
def new_customer_page(request: Request, db: DB, viewer: Writer) -> Response:
    return _form(request, db, viewer, None)


@router.post("/new")
def create_customer(
    request: Request,
    db: DB,
    viewer: Writer,
    form: Annotated[CustomerForm, Depends()],
) -> Response:
    return _save(request, db, viewer, None, form)


@router.get("/{customer_id}")
def customer_page(request: Request, db: DB, viewer: StaffViewer, customer_id: int) -> Response:
    customer = customers.get_customer(db, customer_id)
    return render(
        request,
        "knowledge/customer.html",
        customer=customer,
        owner=db.get(User, customer.owner_id) if customer.owner_id else None,
        timeline=queries.customer_timeline(db, viewer, customer_id),
        show_contacts=viewer.can(Capability.HANDLE_CUSTOMERS),
        can_write=viewer.can(Capability.WRITE_KNOWLEDGE),
        signals=signals_of(db, customer_id),
        notice=notice_text(request.query_params.get("notice")),
        sign_ins=[db.get(User, user_id) for user_id in customers.account_users(db, customer_id)],
        can_link=viewer.can(Capability.HANDLE_CUSTOMERS) or viewer.can(Capability.MANAGE_USERS),
        **vocabulary(db),
    )


@router.post("/{customer_id}/sign-ins")
def link_sign_in(
    db: DB,
    viewer: StaffViewer,
    customer_id: int,
    login: Annotated[str, Form()] = "",
    unlink: Annotated[str, Form()] = "",
) -> Response:
    """Say which customer sign-ins belong to this account (their tier decides what they read)."""
    if unlink.isdigit():
        customers.link_account(db, viewer, int(unlink), None)
    else:
        user = find_user_by_login(db, login.strip())
        if user is None or user.role != Role.CUSTOMER:
            raise Problem(
                "not-a-customer-sign-in",
                "“{login}” is not the sign-in of a customer.",
                422,
                login=login,
            )
        customers.link_account(db, viewer, user.id, customer_id)
    return redirect_with_notice(f"/customers/{customer_id}", "saved")


@router.get("/{customer_id}/edit")
def edit_customer_page(request: Request, db: DB, viewer: Writer, customer_id: int) -> Response:
    return _form(request, db, viewer, customers.get_customer(db, customer_id))


@router.post("/{customer_id}/edit")
def update_customer(
    request: Request,
    db: DB,
    viewer: Writer,
    customer_id: int,
    form: Annotated[CustomerForm, Depends()],
) -> Response:
    return _save(request, db, viewer, customers.get_customer(db, customer_id), form)


def _save(
    request: Request, db: Session, viewer: Viewer, current: Customer | None, form: CustomerForm
) -> Response:
    try:
        data = form.to_input(viewer, current)
        saved = customers.record_customer(db, viewer, data, current.id if current else None)
    except Problem as problem:
        return _form(request, db, viewer, current, form, problem)
    return redirect_with_notice(f"/customers/{saved.id}", "saved")


def _form(
    request: Request,
    db: Session,
    viewer: Viewer,
    customer: Customer | None,
    form: CustomerForm | None = None,
    error: Problem | None = None,
) -> Response:
    return render(
        request,
        "knowledge/customer_form.html",
        status_code=error.status if error else 200,
        customer=customer,
        form=form or CustomerForm.of(customer),
        error=error,
        show_contacts=viewer.can(Capability.HANDLE_CUSTOMERS),
        owners=[user for user in list_users(db) if user.role != Role.CUSTOMER and user.is_active],
        **vocabulary(db),
    )
