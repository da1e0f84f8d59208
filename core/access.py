"""Access helpers. Outside a user's scope the answer is always 404, never 403: a refusal would reveal
that a record exists (healthchecks' pattern). Who may open which page is core.policy's (`@requires`)."""

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404


def get_in_scope_or_404(scoped: QuerySet, **lookup) -> Model:
    """Fetch one object from a queryset already narrowed to what the user may see.

    A lookup value that cannot be an id (a view passes one from a query string: `?rujukan=abc`) finds
    nothing, like an id outside the scope: 404, never a server error."""
    try:
        return get_object_or_404(scoped, **lookup)
    except (ValueError, TypeError, ValidationError):
        raise Http404 from None
