"""Querysets compiled once per process, for the reads of hot live paths (a chat's long polls).

Django compiles a queryset's SQL each time it runs: for a join with an ORDER BY that is most of the
CPU of a small read (about 1 ms), and a chat's long polls make such reads dozens of times a
second. ``Prepared(build)`` compiles ``build(*markers)`` once per database vendor, remembers where
the markers land among the query's parameters, and then runs that SQL with the real values through
``Model.objects.raw``, which applies the model fields' converters (so a row's values are what the
ORM gives). Annotations become attributes of the instances; relations are not followed (annotate
the columns you need, e.g. ``customer_name=F("customer__name")``). A marker stands for a whole
number (a key, a count): pass ints only, and build the same SQL shape whatever the values.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db import connection
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)
# Markers are MARKER + i: inside a 32-bit column's range (Django turns a lookup outside a field's
# range into "no rows" at compile time), and far above any key or count a chat reaches.
MARKER = 2_147_000_000


class Prepared(Generic[M]):
    def __init__(self, build: Callable[..., QuerySet[M]], arity: int) -> None:
        self.build, self.arity = build, arity
        self._compiled: dict[str, tuple[type[M], str, list[tuple[int | None, Any]]]] = {}
        self._lock = threading.Lock()

    def _compile(self) -> tuple[type[M], str, list[tuple[int | None, Any]]]:
        vendor = connection.vendor
        with self._lock:
            if vendor not in self._compiled:
                markers = [MARKER + i for i in range(self.arity)]
                queryset = self.build(*markers)
                sql, params = queryset.query.sql_with_params()
                slots = [(markers.index(p) if isinstance(p, int) and p in markers else None, p) for p in params]
                missing = set(range(self.arity)) - {s for s, _ in slots if s is not None}
                if missing:
                    raise ValueError(f"markers {sorted(missing)} do not reach the query's parameters")
                self._compiled[vendor] = (queryset.model, sql, slots)
            return self._compiled[vendor]

    def __call__(self, *values: int) -> list[M]:
        if len(values) != self.arity or not all(isinstance(v, int) for v in values):
            raise TypeError(f"give {self.arity} whole numbers")
        model, sql, slots = self._compile()
        params = [values[slot] if slot is not None else fixed for slot, fixed in slots]
        return list(model._default_manager.raw(sql, params))
