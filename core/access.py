"""Access helpers. Outside a user's scope the answer is always 404, never 403: a refusal would reveal
that a record exists (healthchecks' pattern)."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404


def role_required(*roles: str) -> Callable:
    """Login required; then 404 unless the user's role is one of `roles`."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not request.user.has_role(*roles):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def get_in_scope_or_404(scoped: QuerySet, **lookup) -> Model:
    """Fetch one object from a queryset already narrowed to what the user may see."""
    return get_object_or_404(scoped, **lookup)
