"""Navigation: each area declares its entries; the layout shows those the viewer may use."""

from __future__ import annotations

from dataclasses import dataclass

from ckhub.auth.permissions import Capability, Viewer
from ckhub.web.i18n import N_


@dataclass(frozen=True)
class NavItem:
    label: str  # translation key
    path: str
    capability: Capability | None  # None: everyone, signed in or not
    group: str = "main"  # "main" (top bar) or "admin" (admin menu)


NAV_ITEMS: list[NavItem] = [
    NavItem(N_("Help center"), "/help", None),
    NavItem(N_("Roadmap"), "/roadmap", None),
    NavItem(N_("Dashboard"), "/dashboard", Capability.STAFF_AREA),
    NavItem(N_("Knowledge"), "/knowledge", Capability.STAFF_AREA),
    NavItem(N_("Customers"), "/customers", Capability.STAFF_AREA),
    NavItem(N_("Import"), "/knowledge/import", Capability.WRITE_KNOWLEDGE),
    NavItem(N_("Articles"), "/help/manage", Capability.WRITE_KNOWLEDGE),
    NavItem(N_("Handoffs"), "/assistant/handoffs", Capability.HANDLE_CUSTOMERS),
    NavItem(N_("Self-service"), "/analytics/self-service", Capability.MANAGE_KNOWLEDGE),
    NavItem(N_("Insights"), "/insights", Capability.STAFF_AREA),
    NavItem(N_("Feedback"), "/feedback", Capability.STAFF_AREA),
    NavItem(N_("Search gaps"), "/knowledge/gaps", Capability.MANAGE_KNOWLEDGE, "admin"),
    NavItem(N_("Chat widget"), "/assistant/widget", Capability.MANAGE_KNOWLEDGE, "admin"),
    NavItem(N_("Taxonomy"), "/admin/taxonomy", Capability.MANAGE_KNOWLEDGE, "admin"),
    NavItem(N_("Users"), "/admin/users", Capability.MANAGE_USERS, "admin"),
    NavItem(N_("Teams"), "/admin/teams", Capability.MANAGE_TEAMS, "admin"),
    NavItem(N_("Audit log"), "/admin/audit", Capability.VIEW_AUDIT_LOG, "admin"),
    NavItem(N_("Jobs"), "/admin/jobs", Capability.VIEW_JOBS, "admin"),
    NavItem(N_("Outbox"), "/admin/outbox", Capability.VIEW_OUTBOX, "admin"),
]


def nav_for(viewer: Viewer, group: str) -> list[NavItem]:
    return [
        item
        for item in NAV_ITEMS
        if item.group == group and (item.capability is None or viewer.can(item.capability))
    ]
