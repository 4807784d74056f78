"""What a person does in every browser test."""

from tests import factories


def log_in(page, live_server: str, user) -> None:
    """Through the login form, as a person does, landing on the home page."""
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server}/")
