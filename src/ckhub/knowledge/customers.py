"""Customers: create, update, contacts and external ids, and matching entries to them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from ckhub.auth import audit
from ckhub.auth.permissions import Capability, Viewer
from ckhub.errors import Problem, forbidden, not_found
from ckhub.i18n_marker import N_
from ckhub.knowledge.models import (
    Customer,
    CustomerAccount,
    CustomerContact,
    CustomerExternalId,
    KnowledgeEntry,
)
from ckhub.knowledge.taxonomy import find_tier


def normalize_contact(kind: str, value: str) -> str:
    """E-mail lower-case; phone digits only (with a leading + kept); others trimmed."""
    if kind == "email":
        return value.strip().lower()
    if kind == "phone":
        digits = re.sub(r"\D", "", value)
        return digits[2:] if digits.startswith("86") and len(digits) == 13 else digits
    return value.strip()


@dataclass
class CustomerInput:
    name: str
    company: str = ""
    tier: str = ""  # key or name of a tier
    region: str = ""
    owner_id: int | None = None
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    external_ids: tuple[tuple[str, str], ...] = ()  # (source, id)
    # An edit form sends the whole record: what it leaves out is removed. Imports only add.
    replace: bool = False


def editable_contacts(
    viewer: Viewer, customer: Customer | None, emails: tuple[str, ...], phones: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The contacts a whole-record edit saves. Contacts are personal data: whoever may not see
    them was not shown any, so the ones on record stay as they are."""
    if viewer.can(Capability.HANDLE_CUSTOMERS):
        return emails, phones
    contacts = customer.contacts if customer else []
    return (
        tuple(c.value for c in contacts if c.kind == "email"),
        tuple(c.value for c in contacts if c.kind == "phone"),
    )


def _require_write(viewer: Viewer) -> None:
    if not viewer.can(Capability.WRITE_KNOWLEDGE):
        raise forbidden()


def get_customer(session: Session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None or customer.deleted_at is not None:
        raise not_found(N_("Customer"))
    return customer


def save_customer(
    session: Session, viewer: Viewer, data: CustomerInput, customer_id: int | None = None
) -> Customer:
    """Create or update a customer with its contacts and external ids (the caller commits)."""
    _require_write(viewer)
    name = data.name.strip()
    if not name:
        raise Problem("invalid-customer", "A customer needs a name.", 422)
    tier = find_tier(session, data.tier) if data.tier.strip() else None
    if data.tier.strip() and tier is None:
        raise Problem("unknown-tier", "Unknown customer tier “{tier}”.", 422, tier=data.tier)
    customer = get_customer(session, customer_id) if customer_id else Customer(name=name)
    customer.name, customer.company, customer.region = name, data.company.strip(), data.region
    old_tier = customer.tier_id
    customer.tier_id = tier.id if tier else None if data.replace else customer.tier_id
    customer.owner_id = data.owner_id if data.replace else data.owner_id or customer.owner_id
    if customer_id is None:
        session.add(customer)
        session.flush()
    elif customer.tier_id != old_tier:  # entries carry the tier of their customer
        session.execute(
            update(KnowledgeEntry)
            .where(KnowledgeEntry.customer_id == customer.id)
            .values(tier_id=customer.tier_id)
        )
    _save_contacts(customer, data)
    wanted_ids = {(source.strip(), value.strip()) for source, value in data.external_ids}
    if data.replace:
        for known in list(customer.external_ids):
            if (known.source, known.external_id) not in wanted_ids:
                customer.external_ids.remove(known)
        session.flush()
    for source, external_id in data.external_ids:
        _attach_external_id(session, customer, source, external_id)
    session.flush()
    audit.record(session, viewer, "customer.saved", "customer", customer.id)
    return customer


def record_customer(
    session: Session, viewer: Viewer, data: CustomerInput, customer_id: int | None = None
) -> Customer:
    """Save one customer from a form or the API, in its own transaction."""
    try:
        customer = save_customer(session, viewer, data, customer_id)
    except Problem:
        session.rollback()
        raise
    session.commit()
    return customer


def _save_contacts(customer: Customer, data: CustomerInput) -> None:
    wanted = [
        (kind, normalize_contact(kind, value))
        for kind, values in (("email", data.emails), ("phone", data.phones))
        for value in values
    ]
    wanted = [(kind, value) for kind, value in wanted if value]
    if data.replace:
        for contact in list(customer.contacts):
            if (contact.kind, contact.value) not in wanted:
                customer.contacts.remove(contact)
    known = {(c.kind, c.value) for c in customer.contacts}
    for kind, value in wanted:
        if (kind, value) not in known:
            customer.contacts.append(CustomerContact(kind=kind, value=value))
            known.add((kind, value))


def _attach_external_id(
    session: Session, customer: Customer, source: str, external_id: str
) -> None:
    source, external_id = source.strip(), external_id.strip()
    if not source or not external_id:
        return
    existing = session.scalar(
        select(CustomerExternalId).where(
            CustomerExternalId.source == source, CustomerExternalId.external_id == external_id
        )
    )
    if existing is None:
        customer.external_ids.append(CustomerExternalId(source=source, external_id=external_id))
    elif existing.customer_id != customer.id:
        raise Problem(
            "external-id-taken",
            "The id {external_id} of {source} already belongs to another customer.",
            409,
            source=source,
            external_id=external_id,
        )


@dataclass(frozen=True)
class CustomerRef:
    """How an imported row names its customer; any one field may be enough."""

    customer_id: int | None = None
    source: str = ""
    external_id: str = ""
    email: str = ""
    phone: str = ""
    name: str = ""


def match_customer(session: Session, ref: CustomerRef) -> Customer | None:
    """By id, then external id, then e-mail, then phone, then exact name or company."""
    live = Customer.deleted_at.is_(None)
    if ref.customer_id:
        return session.scalar(select(Customer).where(Customer.id == ref.customer_id, live))
    if ref.external_id:
        query = (
            select(Customer)
            .join(CustomerExternalId)
            .where(CustomerExternalId.external_id == ref.external_id.strip(), live)
        )
        if ref.source:
            query = query.where(CustomerExternalId.source == ref.source)
        if found := session.scalars(query.limit(1)).first():
            return found
    for kind, value in (("email", ref.email), ("phone", ref.phone)):
        normalized = normalize_contact(kind, value) if value else ""
        if normalized:
            query = (
                select(Customer)
                .join(CustomerContact)
                .where(CustomerContact.kind == kind, CustomerContact.value == normalized, live)
            )
            if found := session.scalars(query.limit(1)).first():
                return found
    name = ref.name.strip().lower()
    if name:
        for column in (Customer.name, Customer.company):
            query = select(Customer).where(func.lower(column) == name, live)
            if found := session.scalars(query.limit(1)).first():
                return found
    return None


def list_customers(session: Session, search: str = "", limit: int = 100) -> list[Customer]:
    query = (
        select(Customer)
        .where(Customer.deleted_at.is_(None))
        .options(selectinload(Customer.tier))
        .order_by(Customer.name)
        .limit(limit)
    )
    if search.strip():
        pattern = f"%{search.strip().lower()}%"
        query = query.where(
            func.lower(Customer.name).like(pattern) | func.lower(Customer.company).like(pattern)
        )
    return list(session.scalars(query).all())


def link_account(session: Session, viewer: Viewer, user_id: int, customer_id: int | None) -> None:
    """Say which customer account a customer's sign-in belongs to (None: no longer any)."""
    if not viewer.can(Capability.MANAGE_USERS) and not viewer.can(Capability.HANDLE_CUSTOMERS):
        raise forbidden()
    existing = session.get(CustomerAccount, user_id)
    if customer_id is None:
        if existing is not None:
            session.delete(existing)
    else:
        get_customer(session, customer_id)
        if existing is None:
            session.add(CustomerAccount(user_id=user_id, customer_id=customer_id))
        else:
            existing.customer_id = customer_id
    audit.record(session, viewer, "customer.account_linked", "user", user_id, customer=customer_id)
    session.commit()


def tier_of_user(session: Session, user_id: int | None) -> int | None:
    """The tier of the customer account a signed-in customer belongs to, if any."""
    if user_id is None:
        return None
    return session.scalar(
        select(Customer.tier_id)
        .join(CustomerAccount, CustomerAccount.customer_id == Customer.id)
        .where(CustomerAccount.user_id == user_id, Customer.deleted_at.is_(None))
    )


def account_users(session: Session, customer_id: int) -> list[int]:
    """The user ids of the sign-ins that belong to a customer account."""
    return list(
        session.scalars(
            select(CustomerAccount.user_id).where(CustomerAccount.customer_id == customer_id)
        )
    )


def customer_of_user(session: Session, user_id: int | None) -> int | None:
    """The customer account a signed-in customer belongs to, if any."""
    if user_id is None:
        return None
    return session.scalar(
        select(CustomerAccount.customer_id)
        .join(Customer, Customer.id == CustomerAccount.customer_id)
        .where(CustomerAccount.user_id == user_id, Customer.deleted_at.is_(None))
    )


@dataclass(frozen=True)
class Reachable:
    """What other areas need to weigh and reach a customer (feedback requesters)."""

    customer_id: int
    name: str
    email: str | None  # the first e-mail contact
    tier_weight: float | None  # None: no tier


def reachable_customers(session: Session, customer_ids: set[int]) -> dict[int, Reachable]:
    """The customers with these ids that still exist, with their tier weight and e-mail."""
    if not customer_ids:
        return {}
    found = session.scalars(
        select(Customer)
        .where(Customer.id.in_(sorted(customer_ids)), Customer.deleted_at.is_(None))
        .options(selectinload(Customer.tier), selectinload(Customer.contacts))
    ).all()
    return {
        customer.id: Reachable(
            customer.id,
            customer.name,
            next((c.value for c in customer.contacts if c.kind == "email"), None),
            customer.tier.weight if customer.tier else None,
        )
        for customer in found
    }
