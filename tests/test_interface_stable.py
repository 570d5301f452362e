"""The public interface does not move when code moves between apps: every URL name and route, and the API
schema, are the ones recorded in tests/data/ (taken before the areas/ and progress/ moves).

A change to the API or the URLs on purpose updates the record in the same commit:
``.venv/bin/python -m tests.test_interface_stable`` writes them anew (run it again with ``DATABASE_URL`` set
to a PostgreSQL database for the PostgreSQL schema record).
"""

from __future__ import annotations

from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

DATA = Path(__file__).resolve().parent / "data"
URL_MAP = DATA / "url_map.txt"


def api_schema_record() -> Path:
    """The recorded schema for this database: integer bounds follow the backend's column ranges (a
    PositiveIntegerField's maximum is 2147483647 on PostgreSQL, 2**63 - 1 on SQLite)."""
    from django.db import connection

    return DATA / f"api_schema.{connection.vendor}.yaml"


def _routes(patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = "") -> list[str]:
    lines: list[str] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            lines += _routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            name = f"{namespace}{pattern.name}" if pattern.name else "-"
            lines.append(f"{name} {prefix}{pattern.pattern}")
    return lines


def url_map() -> str:
    """Every named page and API route, ``namespace:name route`` a line, sorted (the admin's own routes left out)."""
    routes = [line for line in _routes(get_resolver().url_patterns) if " admin/" not in line]
    return "\n".join(sorted(routes)) + "\n"


def api_schema() -> str:
    """The OpenAPI schema as /api/schema/ serves it, in the default language (its texts are translated)."""
    from django.conf import settings
    from django.utils import translation
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiYamlRenderer

    with translation.override(settings.LANGUAGE_CODE):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        return OpenApiYamlRenderer().render(schema, renderer_context={}).decode("utf-8")


def test_every_url_name_and_route_is_as_recorded() -> None:
    assert url_map() == URL_MAP.read_text(encoding="utf-8")


def test_the_api_schema_is_as_recorded() -> None:
    assert api_schema() == api_schema_record().read_text(encoding="utf-8")


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaocheng_air.settings")
    django.setup()
    URL_MAP.write_text(url_map(), encoding="utf-8")
    api_schema_record().write_text(api_schema(), encoding="utf-8")
