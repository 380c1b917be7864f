"""Usage events imported per customer become signals shown on the customer page."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Role
from ckhub.knowledge.customers import CustomerInput, save_customer
from ckhub.timeutil import utcnow
from ckhub.usage.models import UsageEvent
from ckhub.usage.service import import_usage, signals_of
from tests.factories import SYSTEM, make_user, sign_in


def _events_file(path: Path) -> Path:
    now = utcnow()
    lines = ["account_id,event,timestamp,level,page"]
    for week in range(8):  # one error a week, as usual
        lines.append(f"C-1,sync_error,{(now - timedelta(days=8 + 7 * week)).isoformat()},error,")
    for hour in range(10):  # then a burst this week
        lines.append(f"C-1,sync_error,{(now - timedelta(hours=hour * 5)).isoformat()},error,")
    lines.append(f"C-1,export,{(now - timedelta(days=1)).isoformat()},,reports")
    lines.append(f"C-2,login,{(now - timedelta(days=30)).isoformat()},,")
    lines.append(f"C-9,login,{now.isoformat()},,")  # unknown customer
    lines.append("C-1,export,yesterday-ish,,")  # bad time
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_usage_import_signals_and_customer_page(
    tmp_path: Path, db: Session, client: TestClient
) -> None:
    busy = save_customer(db, SYSTEM, CustomerInput(name="华星", external_ids=(("crm", "C-1"),)))
    quiet = save_customer(db, SYSTEM, CustomerInput(name="远航", external_ids=(("crm", "C-2"),)))
    db.commit()
    path = _events_file(tmp_path / "usage.csv")
    report = import_usage(db, SYSTEM, "csv", path, "product", "Asia/Shanghai")
    assert (report.stored, report.failed, report.customers) == (20, 2, 2)
    assert [(e.row, e.field) for e in report.errors] == [(22, "customer"), (23, "occurred_at")]
    again = import_usage(db, SYSTEM, "csv", path, "product", "Asia/Shanghai")
    assert (again.stored, again.duplicate) == (0, 20)
    export = db.scalars(select(UsageEvent).where(UsageEvent.event == "export")).one()
    assert export.properties == {"page": "reports"}

    signals = signals_of(db, busy.id)
    assert signals["error_spike"].alert
    assert signals["adoption"].detail["used"] == ["export"]
    assert signals_of(db, quiet.id)["inactive"].alert

    make_user(db, "pm", Role.EMPLOYEE)
    sign_in(client, "pm")
    page = client.get(f"/customers/{busy.id}").text
    assert "Errors in 7 days" in page
    assert "Error spike" in page
    spiking = client.get("/customers", params={"signal": "error_spike"}).text
    assert "华星" in spiking
    assert "远航" not in spiking
    assert "远航" in client.get("/customers", params={"signal": "inactive"}).text
