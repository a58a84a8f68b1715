"""Rendering the web app's HTML pages: Jinja2 templates (autoescaped) sent with strict security headers."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import HTMLResponse

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"), autoescape=select_autoescape()
)


def page(
    template: str,
    status: int = 200,
    frame_ancestors: str = "'none'",
    headers: dict[str, str] | None = None,
    **context: object,
) -> HTMLResponse:
    """A page from ``templates/``: no inline script may run, and only ``frame_ancestors`` may frame it."""
    html = _templates.get_template(template).render(**context)
    csp = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        f"connect-src 'self'; frame-src 'self'; frame-ancestors {frame_ancestors}; base-uri 'none'; "
        "form-action 'self'"
    )
    headers = {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        **(headers or {}),
    }
    return HTMLResponse(html, status_code=status, headers=headers)
