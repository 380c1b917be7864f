"""An agent opens the insights dashboard, sees the planted wave, and clicks a point of the
feeling chart to read the entries behind it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from ckhub.auth.permissions import Role
from tests.browser.conftest import screenshot
from tests.browser.test_helpcenter_journey import _sign_in
from tests.factories import make_user
from tests.integration.test_insights_dashboard import _history

pytestmark = pytest.mark.browser


def test_from_a_chart_point_to_the_entries(page: Page, live_server: str, db: Session) -> None:
    _history(db)
    make_user(db, "agent.li", Role.AGENT)  # not in 研发: its entry stays hidden
    _sign_in(page, live_server, "agent.li")
    page.goto(f"{live_server}/insights?days=90")
    expect(page.locator("#spikes")).to_contain_text("Emerging")
    expect(page.locator("#figure-feeling canvas")).to_have_count(1)
    screenshot(page, "insights-dashboard")
    # The last week's "Negative" point, where ECharts drew it: a real click on the canvas.
    where = page.evaluate(
        """() => {
            const element = document.querySelector('#figure-feeling .chart');
            const chart = echarts.getInstanceByDom(element);
            const values = chart.getOption().series[0].data;
            const last = values.length - 1;
            const [x, y] = chart.convertToPixel({seriesIndex: 0}, [last, values[last]]);
            const box = element.getBoundingClientRect();
            return {x: box.left + x, y: box.top + y};
        }"""
    )
    page.mouse.click(where["x"], where["y"])
    page.wait_for_url("**/insights/entries?**sentiment=negative**")
    expect(page.locator("#drill-entries li")).not_to_have_count(0)
    expect(page.locator("#drill-entries")).to_contain_text("export", ignore_case=True)
    expect(page.locator("#drill-entries")).not_to_contain_text("internal repro")
    screenshot(page, "insights-drill-down")
