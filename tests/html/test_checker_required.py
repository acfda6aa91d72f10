"""The HTML check skips on a machine without Java or the jar, and fails where it is required."""

from pathlib import Path

import pytest

from tests.html import test_valid_html as check


@pytest.mark.parametrize("variable", ["CI_REQUIRE_SERVICES", "HTML_CHECK_REQUIRED"])
def test_a_missing_checker_fails_when_required(
    monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setattr(check.shutil, "which", lambda name: None)
    monkeypatch.setenv(variable, "1")
    with pytest.raises(pytest.fail.Exception, match="missing java"):
        check.checker_or_skip()


def test_a_missing_jar_skips_with_how_to_get_it_otherwise(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CI_REQUIRE_SERVICES", raising=False)
    monkeypatch.delenv("HTML_CHECK_REQUIRED", raising=False)
    monkeypatch.setattr(check, "VNU_JAR", check.ROOT / "node_modules" / "no-such.jar")
    with pytest.raises(pytest.skip.Exception, match=r"no-such\.jar \(npm ci\)"):
        check.checker_or_skip()
