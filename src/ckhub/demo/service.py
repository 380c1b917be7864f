"""Building the demo workspace: teams and people of every role, with generated passwords.

The generated passwords are kept in `<var_dir>/demo-logins.json` (mode 600) so `make run` can
print the admin login every time; the file is a convenience of the local demo, never of a real
deployment (`ckhub demo` refuses to run in production).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.auth import service
from ckhub.auth.models import User
from ckhub.auth.passwords import verify_password
from ckhub.auth.permissions import Role, Viewer
from ckhub.errors import Problem
from ckhub.knowledge.models import IssueType
from ckhub.settings import Settings

DEMO_ACTOR = Viewer.system("demo")
LOGINS_FILE = "demo-logins.json"

DEMO_TEAMS = [
    ("Support", "客户支持 · tickets, calls and chat"),
    ("Sales", "销售 · accounts and sales notes"),
    ("Product", "产品 · roadmap and requests"),
    ("Engineering", "研发 · bugs and releases"),
]
# Who owns what customers say of each default issue type (the insight table's suggestion).
ISSUE_TYPE_OWNERS = {
    "bug": "Engineering",
    "feature_request": "Product",
    "how_to": "Support",
    "complaint": "Support",
    "praise": "Support",
    "billing": "Sales",
}


@dataclass(frozen=True)
class DemoPerson:
    username: str
    display_name: str
    role: Role
    team: str | None
    lead: bool = False


DEMO_PEOPLE = [
    DemoPerson("admin", "管理员 Admin", Role.ADMIN, None),
    DemoPerson("km.wang", "王静 Wang Jing", Role.KNOWLEDGE_MANAGER, "Support", lead=True),
    DemoPerson("agent.li", "李娜 Li Na", Role.AGENT, "Support"),
    DemoPerson("agent.zhao", "赵磊 Zhao Lei", Role.AGENT, "Support"),
    DemoPerson("sales.chen", "陈晨 Chen Chen", Role.EMPLOYEE, "Sales", lead=True),
    DemoPerson("pm.liu", "刘洋 Liu Yang", Role.EMPLOYEE, "Product", lead=True),
    DemoPerson("dev.sun", "孙浩 Sun Hao", Role.EMPLOYEE, "Engineering", lead=True),
    DemoPerson("customer.zhou", "周敏 Zhou Min", Role.CUSTOMER, None),
]


@dataclass(frozen=True)
class DemoLogins:
    admin_username: str
    admin_password: str
    staff_password: str  # shared by the other demo people, to explore each role


def _logins_path(settings: Settings) -> Path:
    return settings.var_dir / LOGINS_FILE


def saved_logins(settings: Settings) -> DemoLogins | None:
    path = _logins_path(settings)
    if not path.exists():
        return None
    return DemoLogins(**json.loads(path.read_text(encoding="utf-8")))


def admin_login_still_valid(session: Session, logins: DemoLogins) -> bool:
    admin = service.find_user_by_login(session, logins.admin_username)
    return admin is not None and verify_password(admin.password_hash, logins.admin_password)


def demo_loaded(session: Session) -> bool:
    return service.find_user_by_login(session, "admin") is not None


def build_demo_workspace(session: Session, settings: Settings) -> DemoLogins:
    """Create the demo teams and people. Refuses to touch a workspace that has users."""
    if settings.env == "production":
        raise Problem("demo-in-production", "The demo workspace is not for production.", 409)
    if session.scalar(select(User.id).limit(1)) is not None:
        raise Problem(
            "workspace-not-empty",
            "This workspace already has users; the demo only loads into an empty workspace.",
            409,
        )
    logins = DemoLogins("admin", secrets.token_urlsafe(12), secrets.token_urlsafe(12))
    teams = {
        name: service.create_team(session, DEMO_ACTOR, name, text).id for name, text in DEMO_TEAMS
    }
    members: dict[str, list[int]] = {name: [] for name in teams}
    leads: dict[str, list[int]] = {name: [] for name in teams}
    for person in DEMO_PEOPLE:
        password = logins.admin_password if person.role is Role.ADMIN else logins.staff_password
        user = service.create_user(
            session,
            DEMO_ACTOR,
            username=person.username,
            password=password,
            role=person.role,
            display_name=person.display_name,
            email=f"{person.username}@demo.ckhub.local",
        )
        if person.team:
            members[person.team].append(user.id)
            if person.lead:
                leads[person.team].append(user.id)
    for name, team_id in teams.items():
        service.set_team_members(session, DEMO_ACTOR, team_id, members[name], leads[name])
    for issue_type in session.scalars(select(IssueType)):
        owner = ISSUE_TYPE_OWNERS.get(issue_type.key)
        issue_type.owner_team_id = teams[owner] if owner else None
    session.commit()
    path = _logins_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(logins.__dict__), encoding="utf-8")
    path.chmod(0o600)
    return logins
