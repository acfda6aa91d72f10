"""axe-core checks in the real browser (axe-core is bundled by axe-playwright-python)."""

from typing import Any

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


def _invisible_text(incomplete: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Text the same colour as its background. axe files a 1:1 contrast under "incomplete"
    (it cannot tell hidden-on-purpose from unreadable), so the staff page's two-factor "Save"
    button, blue on blue, passed every check."""
    found = []
    for rule in incomplete:
        if rule["id"] != "color-contrast":
            continue
        nodes = [
            node
            for node in rule["nodes"]
            if any(check.get("data", {}).get("messageKey") == "equalRatio" for check in node["any"])
        ]
        if nodes:
            found.append({**rule, "impact": "serious", "nodes": nodes})
    return found


def serious_axe_violations(page: Any) -> list[dict[str, Any]]:
    response = _axe.run(page).response
    violations = response["violations"] + _invisible_text(response["incomplete"])
    return [v for v in violations if v.get("impact") in {"serious", "critical"}]


def assert_no_serious_axe_violations(page: Any) -> None:
    found = serious_axe_violations(page)
    summary = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in found]
    assert not found, f"axe found serious or critical problems on {page.url}: {summary}"
