"""What a report page hands to its charts: every `<script type="application/json">` block that
Django's json_script wrote for a `<div data-chart>` (core/partials/_chart.html), numbers read
back exactly (JSON decimals as `Decimal`)."""

import json
import re
from decimal import Decimal

ECHARTS = "vendor/echarts/echarts.common.min.js"
CHART_BLOCK = re.compile(r'<script id="(chart-[^"]+)" type="application/json">(.*?)</script>', re.DOTALL)


def page_charts(html: str) -> dict[str, dict]:
    """{key: spec} for every chart on the page, in order; each has its drawing element."""
    charts = {}
    for dom_id, text in CHART_BLOCK.findall(html):
        assert f'data-chart="{dom_id}"' in html, f"{dom_id}: a JSON block without its chart"
        charts[dom_id.removeprefix("chart-")] = json.loads(
            text, parse_float=Decimal
        )  # json_script escapes <, >, & as \u…
    return charts


def loads_echarts(html: str) -> bool:
    return ECHARTS in html
