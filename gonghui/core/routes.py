"""`route()`: the one shape of every URL in the apps' urls.py, a class-based view at a path.

It only spares each line the `.as_view()` and `name=` noise, so a urls.py reads as a table
of path, view and name; names and paths are Django's own (`reverse()` is unchanged)."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path
from django.views import View


def route(pattern: str, view: type[View[Any]], name: str, **initkwargs: Any) -> URLPattern:
    """`view` at `pattern`, reversible as `name`; `initkwargs` go to `view.as_view()`."""
    return path(pattern, view.as_view(**initkwargs), name=name)
