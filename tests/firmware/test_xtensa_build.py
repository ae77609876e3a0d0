"""The firmware's portable core (firmware/lib/edge_core) and its nanopb messages compile for a 32-bit
Xtensa target with Debian's gcc-xtensa-lx106 (the ESP8266 compiler: the ESP32's LX6 instruction-set
family) and picolibc, warnings as errors: 64-bit host assumptions and missing includes fail here."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "firmware" / "lib" / "edge_core" / "src"
CXX, CC = "xtensa-lx106-elf-g++", "xtensa-lx106-elf-gcc"
SPECS = Path("/usr/lib/xtensa-lx106-elf/picolibc.specs")
NANOPB_HEADERS = ("pb.h", "pb_common.h", "pb_decode.h", "pb_encode.h")
WARNINGS = ["-Wall", "-Wextra", "-Werror", "-Wformat=2", "-Wcast-align", "-Wpointer-arith"]
INSTALL_HINT = "apt-get install gcc-xtensa-lx106 picolibc-xtensa-lx106-elf nanopb libnanopb-dev (scripts/setup)"


@pytest.fixture(scope="module")
def include_dirs(tmp_path_factory) -> list[str]:
    """The generated capture.pb.h and nanopb's headers alone (never the host's /usr/include with glibc)."""
    if shutil.which(CXX) is None or not SPECS.exists():
        pytest.fail(f"the Xtensa cross compiler or picolibc is missing: {INSTALL_HINT}")
    work = tmp_path_factory.mktemp("xtensa")
    (work / "gen").mkdir()
    (work / "nanopb").mkdir()
    for header in NANOPB_HEADERS:
        shutil.copy(Path("/usr/include") / header, work / "nanopb" / header)
    generator = os.environ.get("NANOPB_GEN", "nanopb_generator.py")
    subprocess.run([generator, "-q", "--error-on-unmatched", "-I", str(ROOT / "protos/edge/capture/v1"), "-I",
                    str(ROOT / "protos"), "-I", str(ROOT / "firmware/proto"), "-x", "edge/common/v1/auth.proto",
                    "-D", str(work / "gen"), "capture.proto"], check=True, timeout=120)  # as firmware/host/Makefile
    return [f"-I{work / 'gen'}", f"-I{work / 'nanopb'}", f"-I{CORE}"]


def compile_for_xtensa(compiler: str, source: Path, includes: list[str], out: Path, *std: str) -> str:
    """Compile one file; the compiler's messages ('' when clean)."""
    done = subprocess.run([compiler, f"--specs={SPECS}", *std, "-Os", *WARNINGS, *includes, "-c", str(source),
                           "-o", str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 or done.stderr, "the compiler failed without a message"
    return done.stderr


def test_the_target_is_32_bit(tmp_path: Path) -> None:
    probe = tmp_path / "ilp32.cpp"
    probe.write_text("#include <stddef.h>\nstatic_assert(sizeof(void *) == 4 && sizeof(long) == 4 && "
                     "sizeof(size_t) == 4, \"not ILP32\");\n")
    assert compile_for_xtensa(CXX, probe, [], tmp_path / "ilp32.o", "-std=c++17") == ""
    probe.write_text("static_assert(sizeof(void *) == 8, \"64-bit\");\n")
    assert "64-bit" in compile_for_xtensa(CXX, probe, [], tmp_path / "lp64.o", "-std=c++17")


@pytest.mark.parametrize("source", sorted(CORE.glob("*.cpp")), ids=lambda p: p.name)
def test_core_compiles_for_xtensa_without_warnings(source: Path, include_dirs: list[str], tmp_path: Path) -> None:
    messages = compile_for_xtensa(CXX, source, include_dirs, tmp_path / f"{source.stem}.o", "-std=c++17",
                                  "-fno-exceptions", "-fno-rtti")
    assert messages == "", messages


def test_nanopb_messages_compile_for_xtensa(include_dirs: list[str], tmp_path: Path) -> None:
    generated = Path(include_dirs[0][2:]) / "capture.pb.c"
    assert compile_for_xtensa(CC, generated, include_dirs, tmp_path / "capture.pb.o", "-std=c11") == ""
