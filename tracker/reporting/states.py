"""The rules of the cycle, pure: a unit's month's state from what is stored, and the transitions between states.

missing (no figure) -> entered (figures) -> submitted -> approved (locked); a return sends a submitted month back
to entered, a reopen an approved one."""

from __future__ import annotations

from dataclasses import dataclass

STATES = ("missing", "entered", "submitted", "approved")
ACTIONS = ("submit", "approve", "return", "reopen")
# actions whose comment (a return's comment, a reopen's reason) is required
NEEDS_COMMENT = ("return", "reopen")


@dataclass(frozen=True)
class Transition:
    allowed_from: str
    status: str  # the stored status afterwards


TRANSITIONS = {
    "submit": Transition("entered", "submitted"),
    "approve": Transition("submitted", "approved"),
    "return": Transition("submitted", "open"),
    "reopen": Transition("approved", "open"),
}


def state_of(status: str | None, has_figures: bool) -> str:
    """`status` is the stored one (None without a row): submitted and approved stand; otherwise the figures say."""
    if status in ("submitted", "approved"):
        return status
    return "entered" if has_figures else "missing"


def state_after(action: str, has_figures: bool) -> str:
    return state_of(TRANSITIONS[action].status, has_figures)
