"""One API view style (CONTRIBUTING.md, "Rules of the house"): a collection of stored records is a read-only
ViewSet on a router; a computed figure is an APIView with its own documented ``get``. No function views, and
nothing in the API writes."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework import viewsets
from rest_framework.generics import GenericAPIView
from rest_framework.views import APIView

WRITES = ("post", "put", "patch", "delete")


def _api_views(patterns: list[URLPattern | URLResolver], namespace: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += _api_views(pattern.url_patterns, pattern.namespace or namespace)
        elif namespace == "api" and pattern.name not in ("schema", "docs"):
            callback = pattern.callback
            while not hasattr(callback, "cls"):  # a page-cache wrapper around the view
                callback = callback.__wrapped__
            found.append((f"api:{pattern.name}", callback))
    return found


def test_every_api_route_is_a_read_only_viewset_or_a_computed_figure_view() -> None:
    views = _api_views(get_resolver().url_patterns)
    assert len(views) >= 17  # every route of api/v1/
    for name, callback in views:
        view_class = callback.cls
        assert view_class.__name__ != "WrappedAPIView", f"{name} is a function view (@api_view)"
        if getattr(callback, "actions", None) is not None:
            assert issubclass(view_class, viewsets.ReadOnlyModelViewSet), name
            assert set(callback.actions) <= {"get", "head"}, name  # DRF adds head at the first request
        else:
            assert issubclass(view_class, APIView), name
            assert not issubclass(view_class, GenericAPIView), name
            assert "get" in vars(view_class), f"{name} documents its own get"
            assert not [method for method in WRITES if hasattr(view_class, method)], name
