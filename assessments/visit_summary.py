"""A first draft of the patient's plain-language visit summary, from the signed note.

The therapist reads it, edits it and accepts it; only then does the portal show it (first, with
the full note one tap away). Pure: a note's content in, three short paragraphs out. It leaves
out what a patient cannot read at a glance (MMT grades, dynamometer force, special-test names).
"""

from __future__ import annotations

from typing import Any

SUMMARY_PARTS = ("found", "plan", "home")


def _text(main: dict[str, Any], *names: str) -> str:
    for name in names:
        value = main.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def draft_patient_summary(content: dict[str, Any]) -> dict[str, str]:
    """``{"found", "plan", "home"}`` drafted from a note's content (any note type)."""
    main = content.get("main", {}) if isinstance(content, dict) else {}
    found: list[str] = []
    pain = main.get("nprs_now", main.get("pain_now"))
    if isinstance(pain, int):
        found.append(f"You rated your pain {pain} out of 10 today.")
    diagnosis = _text(main, "diagnosis")
    if diagnosis:
        found.append(f"What we are treating: {diagnosis}.")
    progress = _text(main, "response", "assessment", "goal_progress", "summary")
    if progress:
        found.append(progress)
    plan = _text(main, "planned_interventions", "plan")
    goals = _text(main, "short_term_goals")
    plan_text = " ".join(p for p in (plan, f"Next goal: {goals}" if goals else "") if p)
    home = _text(main, "recommendations", "home_program")
    return {
        "found": " ".join(found),
        "plan": plan_text,
        "home": home or "Keep doing the exercises in your home program, as shown in the app.",
    }
