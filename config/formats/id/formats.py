"""Input formats of dates in this language: day first whatever the browser's language (core/dates.py).

Only the input formats are set here; how dates are shown stays Django's locale for this language.
"""

from core.dates import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS

__all__ = ["DATE_INPUT_FORMATS", "DATETIME_INPUT_FORMATS"]
