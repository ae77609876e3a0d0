"""Peewee models bound to one database each, so several databases can be open in one process."""
from __future__ import annotations

from typing import Sequence

import peewee as pw


def bound_models(db: pw.Database, models: Sequence[type[pw.Model]]) -> list[type[pw.Model]]:
    """A subclass of each model with `db` as its database (peewee binds at class level), in the same order."""
    return [type(model.__name__, (model,), {
        "Meta": type("Meta", (), {"database": db, "table_name": model._meta.table_name}),
        "__module__": model.__module__}) for model in models]
