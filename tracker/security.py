"""Response headers that hold on every page: no inline scripts, no framing, no sniffing, no caching of what
an account was shown."""

from flask import Flask, Response, g, request

# plotly.js writes its own <style> elements at run time, so styles allow 'unsafe-inline'; scripts never do.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def add_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if _private(response):
            response.headers["Cache-Control"] = "no-store"
        return response


def _private(response: Response) -> bool:
    """What a logged-in account (or a token) was shown, every API answer and every download: never cached."""
    if response.cache_control.public:  # a versioned asset, the same for everyone
        return False
    user = g.get("_login_user")  # read without loading: the account is known only if the request asked for it
    return (request.path.startswith("/api/") or "attachment" in response.headers.get("Content-Disposition", "")
            or (user is not None and user.is_authenticated))
