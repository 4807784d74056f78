"""How an error message quotes a cell of the user's file: never whole, since a cell may hold megabytes."""

QUOTED_CHARS = 50


def excerpt(cell: str) -> str:
    """The cell as a message quotes it: its first 50 characters, with an ellipsis when it is longer."""
    return cell if len(cell) <= QUOTED_CHARS else cell[:QUOTED_CHARS] + "…"
