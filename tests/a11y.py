"""axe-core checks in the real browser (axe-core is bundled by axe-playwright-python)."""

from typing import Any

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


def serious_axe_violations(page: Any) -> list[dict[str, Any]]:
    violations = _axe.run(page).response["violations"]
    return [v for v in violations if v.get("impact") in {"serious", "critical"}]


def assert_no_serious_axe_violations(page: Any) -> None:
    found = serious_axe_violations(page)
    summary = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in found]
    assert not found, f"axe found serious or critical problems on {page.url}: {summary}"
