"""Runtime settings an admin changes through UpdateConfig: validated, persisted, applied live."""
from __future__ import annotations

import threading
import typing
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any, Callable

from edge_node.attendance.rules import AttendanceRules
from edge_node.attendance.store import AttendanceStore
from edge_node.config import Config, RecognitionConfig, coerce
from edge_node.common.errors import InvalidArgument

_SETTING_KEY = "runtime_config"
THRESHOLD_FIELDS = ("match_threshold", "liveness_threshold")


@dataclass(frozen=True)
class RuntimeSettings:
    rules: AttendanceRules
    match_threshold: float
    liveness_threshold: float

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self.rules), "match_threshold": self.match_threshold, "liveness_threshold": self.liveness_threshold}


def runtime_field_names() -> list[str]:
    return [*AttendanceRules.field_names(), *THRESHOLD_FIELDS]


class SettingsManager:
    """Holds the current RuntimeSettings: file config overlaid with the changes stored in the database."""

    def __init__(self, store: AttendanceStore, config: Config) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._listeners: list[Callable[[RuntimeSettings], None]] = []
        base = RuntimeSettings(config.attendance, config.recognition.match_threshold, config.recognition.liveness_threshold)
        stored = store.load_setting(_SETTING_KEY) or {}
        self._current = _apply(base, stored)
        store.set_rules(self._current.rules, starting=True)

    @property
    def current(self) -> RuntimeSettings:
        return self._current

    def on_change(self, listener: Callable[[RuntimeSettings], None]) -> None:
        self._listeners.append(listener)
        listener(self._current)

    def update(self, changes: dict[str, Any], actor: str = "(settings)",
               effective_from: date | None = None) -> RuntimeSettings:
        """Validate `changes` (field name -> value) as a whole, persist them, and apply them. A change of a pay
        rule is stored as a schedule version in force from `effective_from` (default: today) by `actor`."""
        if not changes:
            raise InvalidArgument("update_mask must name at least one field: " + ", ".join(runtime_field_names()))
        with self._lock:
            updated = _apply(self._current, changes)
            stored = dict(self._store.load_setting(_SETTING_KEY) or {})
            stored.update({k: list(v) if isinstance(v, tuple) else v for k, v in changes.items()})
            with self._store.writer.transaction():  # the setting and the version it makes, or neither
                self._store.save_setting(_SETTING_KEY, stored)
                self._store.set_rules(updated.rules, actor, effective_from)
            self._current = updated
        for listener in self._listeners:
            listener(updated)
        return updated


def _apply(base: RuntimeSettings, changes: dict[str, Any]) -> RuntimeSettings:
    unknown = set(changes) - set(runtime_field_names())
    if unknown:
        raise InvalidArgument(f"unknown config field(s): {', '.join(sorted(unknown))}; known: {', '.join(runtime_field_names())}")
    hints = typing.get_type_hints(AttendanceRules)
    rule_changes = {k: coerce(k, v, hints[k]) for k, v in changes.items() if k in hints}
    rules = replace(base.rules, **rule_changes).validate()
    thresholds = {k: float(changes.get(k, getattr(base, k))) for k in THRESHOLD_FIELDS}
    RecognitionConfig(**thresholds).validate()
    return RuntimeSettings(rules, **thresholds)
