"""Helpers for tests that migrate the test database back and forth (the app moves of issues 22 and 23).

Such a test is transactional; it leaves the database at the latest migrations (``migrate(latest())``) so
that the flush that ends it, and the restore in tests/conftest.py, meet the schema they expect.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

Node = tuple[str, str | None]
Rows = dict[str, list[tuple[Any, ...]]]


def migrate(targets: list[Node]) -> Any:
    """Migrate to the given nodes; returns the models (an ``apps``) as the applied migrations define them."""
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationLoader(connection)
    return loader.project_state(list(loader.applied_migrations)).apps


def latest() -> list[Node]:
    return list(MigrationExecutor(connection).loader.graph.leaf_nodes())


def rows_of(state_apps: Any, keep: Callable[[Any], bool], apps: set[str]) -> Rows:
    """Every row of every model of ``apps`` that ``keep`` selects, by model name (the same whichever app
    holds the model), each table's rows sorted."""
    found: Rows = {}
    with connection.cursor() as cursor:
        for model in state_apps.get_models(include_auto_created=True):
            if model._meta.app_label not in apps or not keep(model):
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            columns = ", ".join(connection.ops.quote_name(field.column) for field in model._meta.concrete_fields)
            cursor.execute(f"SELECT {columns} FROM {table}")  # noqa: S608  (model table and column names)
            found[model._meta.model_name] = sorted(cursor.fetchall(), key=repr)
    return found


def foreign_keys_to(table: str, renamed: Mapping[str, str]) -> set[tuple[str, str]]:
    """(table, column) of every foreign key constraint in the database that references ``table``; tables
    named in ``renamed`` are given their new name, so that both sides of a move compare."""
    found = set()
    with connection.cursor() as cursor:
        for name in connection.introspection.table_names(cursor):
            for column, (_, referenced) in connection.introspection.get_relations(cursor, name).items():
                if referenced == table:
                    found.add((renamed.get(name, name), column))
    return found


def user_permissions(state_apps: Any, username: str) -> set[tuple[str, str, str]]:
    """(app label, model, codename) of a user's own permissions, read through their content types."""
    user_model = state_apps.get_model("auth", "User")
    rows = user_model.objects.filter(username=username).values_list(
        "user_permissions__content_type__app_label",
        "user_permissions__content_type__model",
        "user_permissions__codename",
    )
    return set(rows)
