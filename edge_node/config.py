"""The node's configuration: one typed object with built-in defaults, a TOML file and env overrides.

Precedence (lowest first): defaults, the TOML file, `EDGE_NODE_<SECTION>_<KEY>` environment
variables, command-line flags. Values an admin changes at run time through UpdateConfig are kept in
the database and applied on top (see `edge_node.settings`).
"""
from __future__ import annotations

import os
import tomllib
import typing
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any, Mapping

from edge_node.attendance.review_config import ReviewConfig
from edge_node.attendance.rules import AttendanceRules
from edge_node.common.addresses import check_listen, is_loopback
from edge_node.capture.config import CaptureConfig
from edge_node.common.errors import InvalidArgument
from edge_node.hub.config import HubConfig
from edge_node.kiosk.config import KioskConfig
from edge_node.metrics.config import MetricsConfig
from edge_node.sync.config import SyncConfig
from edge_node.vision.backend import BACKEND_NAMES
from edge_node.vision.liveness import POLICIES as LIVENESS_POLICIES
from edge_node.vision.learning import LearningConfig
from edge_node.vision.liveness import LivenessConfig

ENV_PREFIX = "EDGE_NODE_"


def default_data_dir() -> Path:
    """systemd's $STATE_DIRECTORY, else $XDG_DATA_HOME/edge-node, else ~/.local/share/edge-node."""
    if os.environ.get("STATE_DIRECTORY"):
        return Path(os.environ["STATE_DIRECTORY"].split(":")[0])
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "edge-node"


@dataclass(frozen=True)
class ServerConfig:
    listen: str = "127.0.0.1:50051"
    # Admin bearer token; empty means "<data_dir>/admin.token", created on first start.
    admin_token: str = ""
    # TLS: with tls_cert/tls_key, that certificate; else, beyond loopback (or with tls = true), a CA and a
    # certificate the node makes itself on first start in <data_dir>/tls (clients pin it on first use).
    tls_cert: str = ""
    tls_key: str = ""
    tls: bool = False
    # Plain text beyond loopback: only with insecure = true, and warned at every start, in the status and
    # in the monitor (anyone on the LAN can read the tokens).
    insecure: bool = False
    max_message_bytes: int = 8 * 1024 * 1024
    # Requests beyond this many in flight are refused with RESOURCE_EXHAUSTED.
    max_concurrent_rpcs: int = 256
    grace_seconds: float = 5.0

    def validate(self) -> None:
        check_listen("server.listen", self.listen)
        if bool(self.tls_cert) != bool(self.tls_key):
            raise InvalidArgument("server.tls_cert and server.tls_key must be given together")
        if self.insecure and (self.tls or self.tls_cert):
            raise InvalidArgument("server.insecure = true turns TLS off: drop it, or drop server.tls/tls_cert")
        if not 1024 <= self.max_message_bytes <= 64 * 1024 * 1024:
            raise InvalidArgument("server.max_message_bytes must be between 1024 and 67108864")
        if not 8 <= self.max_concurrent_rpcs <= 10000:
            raise InvalidArgument("server.max_concurrent_rpcs must be between 8 and 10000")

    @property
    def uses_tls(self) -> bool:
        """TLS unless the node listens on loopback only (and tls is not asked for) or insecure = true."""
        return bool(self.tls_cert) or self.tls or not (self.insecure or is_loopback(self.listen))

    @property
    def plaintext_beyond_loopback(self) -> bool:
        return not self.uses_tls and not is_loopback(self.listen)


@dataclass(frozen=True)
class StorageConfig:
    # Empty means the per-user default (see default_data_dir).
    data_dir: str = ""
    # SQLite file name, relative to data_dir unless absolute.
    database: str = "edge-node.db"
    # SQLite synchronous level in WAL mode: FULL (the default) fsyncs each commit before a scan is
    # acknowledged, so it survives a power cut (scripts/fault_powercut); NORMAL survives only a process crash.
    synchronous: str = "FULL"

    def validate(self) -> None:
        if self.synchronous.upper() not in ("NORMAL", "FULL", "EXTRA"):
            raise InvalidArgument("storage.synchronous must be NORMAL, FULL or EXTRA")

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir).expanduser() if self.data_dir else default_data_dir()

    @property
    def database_path(self) -> Path:
        db = Path(self.database).expanduser()
        return db if db.is_absolute() else self.data_path / db


@dataclass(frozen=True)
class RecognitionConfig:
    enabled: bool = True
    # Empty means "<data_dir>/models" (filled by `edge-node models fetch`).
    models_dir: str = ""
    # ONNX Runtime intra-op threads per pipeline, and pipelines running in parallel.
    threads: int = 1
    workers: int = 1
    # ONNX Runtime execution providers in order of preference (e.g. CUDAExecutionProvider on a Jetson).
    providers: tuple[str, ...] = ("CPUExecutionProvider",)
    # Runtime per model: onnxruntime, litert (extra `litert`) or auto (LiteRT for the recogniser and
    # liveness when installed and its .tflite files are present, ONNX Runtime otherwise; README
    # "Inference backends"). A litert detector runs the fixed 640x640 YuNet conversion.
    detector_backend: str = "auto"
    embedder_backend: str = "auto"
    liveness_backend: str = "auto"
    # Match with SFace and the second recogniser together (score fusion) when its model is installed
    # (README "Recognition accuracy"); templates carry both either way, so switching needs no re-enrolment.
    fusion: bool = True
    # Cosine for a MATCH; 0 = the threshold calibrated by scripts/bench_accuracy for the recognisers in use.
    match_threshold: float = 0.0
    liveness_threshold: float = LivenessConfig().threshold
    # "refuse": a face not confirmed live is not punched; "flag": a recognised one is punched with a
    # LIVENESS_DOUBT anomaly for review (docs/recognition.md "Liveness at the door").
    liveness_policy: str = LivenessConfig().policy
    # Learned templates kept per person: a clearly recognised, live, well-lit punch becomes one,
    # replacing the person's oldest learned one; 0 turns learning off (docs/recognition.md).
    learned_templates: int = LearningConfig().per_person
    max_image_bytes: int = 4 * 1024 * 1024
    max_image_pixels: int = 4096 * 4096

    def validate(self) -> None:
        if not 1 <= self.threads <= 64:
            raise InvalidArgument("recognition.threads must be between 1 and 64")
        if not 1 <= self.workers <= 16:
            raise InvalidArgument("recognition.workers must be between 1 and 16")
        if not 1024 <= self.max_image_bytes <= 64 * 1024 * 1024:
            raise InvalidArgument("recognition.max_image_bytes must be between 1024 and 67108864")
        for name in ("detector_backend", "embedder_backend", "liveness_backend"):
            if getattr(self, name) not in BACKEND_NAMES:
                raise InvalidArgument(f"recognition.{name} must be one of {', '.join(BACKEND_NAMES)} "
                                      f"(got {getattr(self, name)!r})")
        if not 0 <= self.learned_templates <= 10:
            raise InvalidArgument(f"recognition.learned_templates must be between 0 and 10 (got {self.learned_templates})")
        if self.liveness_policy not in LIVENESS_POLICIES:
            raise InvalidArgument(f"recognition.liveness_policy must be one of {', '.join(LIVENESS_POLICIES)} "
                                  f"(got {self.liveness_policy!r})")
        for name in ("match_threshold", "liveness_threshold"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise InvalidArgument(f"{name} must be between 0 and 1 (got {value})")

    def models_path(self, data_dir: Path) -> Path:
        return Path(self.models_dir).expanduser() if self.models_dir else data_dir / "models"


@dataclass(frozen=True)
class Config:
    server: ServerConfig = field(default_factory=ServerConfig)
    storage: StorageConfig = field(default_factory=StorageConfig)
    attendance: AttendanceRules = field(default_factory=AttendanceRules)
    recognition: RecognitionConfig = field(default_factory=RecognitionConfig)
    sync: SyncConfig = field(default_factory=SyncConfig)
    hub: HubConfig = field(default_factory=HubConfig)
    capture: CaptureConfig = field(default_factory=CaptureConfig)
    kiosk: KioskConfig = field(default_factory=KioskConfig)
    metrics: MetricsConfig = field(default_factory=MetricsConfig)
    review: ReviewConfig = field(default_factory=ReviewConfig)

    def validate(self) -> "Config":
        self.server.validate()
        self.storage.validate()
        self.attendance.validate()
        self.recognition.validate()
        self.sync.validate()
        self.hub.validate()
        self.capture.validate()
        self.kiosk.validate()
        self.metrics.validate()
        self.review.validate()
        return self


def load_config(path: Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Defaults, then the TOML file at `path` (if any), then EDGE_NODE_* variables; validated."""
    data: dict[str, dict[str, Any]] = {}
    if path is not None:
        try:
            data = tomllib.loads(Path(path).read_text())
        except FileNotFoundError:
            raise InvalidArgument(f"config file {path} does not exist") from None
        except tomllib.TOMLDecodeError as exc:
            raise InvalidArgument(f"config file {path} is not valid TOML: {exc}") from None
    config = Config()
    for section in fields(Config):
        values = dict(data.pop(section.name, {}) or {})
        values.update(_env_values(section.name, getattr(config, section.name), os.environ if env is None else env))
        config = replace(config, **{section.name: _build(section.name, getattr(config, section.name), values)})
    if data:
        raise InvalidArgument(f"unknown config section(s): {', '.join(sorted(data))}")
    return config.validate()


def _env_values(section: str, current: Any, env: Mapping[str, str]) -> dict[str, str]:
    prefix = f"{ENV_PREFIX}{section.upper()}_"
    names = {f.name.upper(): f.name for f in fields(current)}
    return {names[key[len(prefix):]]: value for key, value in env.items()
            if key.startswith(prefix) and key[len(prefix):] in names}


def _build(section: str, current: Any, values: dict[str, Any]) -> Any:
    assert is_dataclass(current)
    hints = typing.get_type_hints(type(current))
    known = {f.name for f in fields(current)}
    unknown = set(values) - known
    if unknown:
        raise InvalidArgument(f"unknown key(s) in [{section}]: {', '.join(sorted(unknown))}")
    return replace(current, **{k: coerce(f"{section}.{k}", v, hints[k]) for k, v in values.items()})


def coerce(name: str, value: Any, hint: Any) -> Any:
    """Convert a TOML or environment value to the field's declared type, or raise InvalidArgument."""
    origin = typing.get_origin(hint)
    try:
        if origin is tuple:
            (item_type, _ellipsis) = typing.get_args(hint)
            items = [s.strip() for s in value.split(",") if s.strip()] if isinstance(value, str) else list(value)
            return tuple(coerce(name, item, item_type) for item in items)
        if hint is bool:
            if isinstance(value, bool):
                return value
            if str(value).lower() in ("1", "true", "yes", "on"):
                return True
            if str(value).lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(value)
        if hint is int and isinstance(value, float):
            raise ValueError(value)
        return hint(value)
    except (TypeError, ValueError):
        raise InvalidArgument(f"{name}: {value!r} is not a valid {getattr(hint, '__name__', hint)}") from None
