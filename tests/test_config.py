"""Configuration: defaults, TOML file, environment overrides and their validation."""
from __future__ import annotations

import pytest

from edge_node.config import Config, load_config
from edge_node.common.errors import InvalidArgument


def test_defaults_need_no_file():
    config = load_config(None, env={})
    assert config.server.listen == "127.0.0.1:50051"
    assert config.attendance.cooldown_seconds == 60 and config.attendance.max_daily_scans == 10
    assert config == Config().validate()


def test_file_then_environment(tmp_path):
    path = tmp_path / "node.toml"
    path.write_text('[server]\nlisten = "0.0.0.0:6000"\n[attendance]\ncooldown_seconds = 90\ntime_zone = "Asia/Tokyo"\n')
    config = load_config(path, env={"EDGE_NODE_ATTENDANCE_COOLDOWN_SECONDS": "30", "EDGE_NODE_ATTENDANCE_WEEKEND_DAYS": "5,6",
                                    "EDGE_NODE_RECOGNITION_PROVIDERS": "CUDAExecutionProvider,CPUExecutionProvider"})
    assert config.server.listen == "0.0.0.0:6000"
    assert config.attendance.cooldown_seconds == 30 and config.attendance.time_zone == "Asia/Tokyo"
    assert config.attendance.weekend_days == (5, 6)
    assert config.recognition.providers == ("CUDAExecutionProvider", "CPUExecutionProvider")


@pytest.mark.parametrize("text,message", [
    ("[server]\nlisen = 'x'\n", "unknown key"),
    ("[nonsense]\na = 1\n", "unknown config section"),
    ("[attendance]\ncooldown_seconds = 'soon'\n", "attendance.cooldown_seconds"),
    ("[attendance]\nwork_start_hour = 23\nwork_end_hour = 8\n", "work_end_hour"),
    ("[server]\nlisten = 'nohost'\n", "server.listen"),
    ("[server]\ntls_cert = 'a.pem'\n", "tls_key"),
    ("not toml at all [", "not valid TOML"),
])
def test_bad_config_is_refused_with_the_field_named(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(InvalidArgument, match=message):
        load_config(path, env={})


def test_bad_environment_value_is_refused():
    with pytest.raises(InvalidArgument, match="weekend_allowed"):
        load_config(None, env={"EDGE_NODE_ATTENDANCE_WEEKEND_ALLOWED": "maybe"})
