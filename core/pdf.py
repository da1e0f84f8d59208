"""PDF from an HTML template, rendered by WeasyPrint: the one helper behind every printed document (referral
letters, case documents). A small `render(...) -> bytes` only renders (pretix's pattern); callers serve or
store the bytes and audit the print.

Always in Indonesian, the language of official documents, whatever the reader chose for the pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation


def render_pdf(template_name: str, context: Mapping | Callable[[], Mapping], *,
               stylesheets: Iterable[str] = ()) -> bytes:
    """`template_name` rendered with `context` as PDF bytes; `stylesheets` are static paths ("css/x.css").

    A callable `context` is called in Indonesian too: labels made in Python (choice displays) follow it.
    """
    with translation.override("id"):
        html = render_to_string(template_name, dict(context() if callable(context) else context))
    return pdf_from_html(html, stylesheets=stylesheets)


def pdf_from_html(html: str, *, stylesheets: Iterable[str] = ()) -> bytes:
    """HTML already rendered (a caller that also shows or tests the HTML itself) as PDF bytes."""
    from weasyprint import CSS, HTML  # imported here: loading Pango is slow and most requests never need it

    sheets = [CSS(filename=_static_file(path)) for path in stylesheets]
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=sheets)


def _static_file(path: str) -> str:
    found = finders.find(path)
    if not found:  # a typo in a path would otherwise print an unstyled document without a word
        raise FileNotFoundError(f"Static file not found: {path}")
    return found
