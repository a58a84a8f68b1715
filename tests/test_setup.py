"""The set-up finds Python 3.10, or says clearly what to do where it is missing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

FIND_PYTHON = ROOT / "scripts" / "find_python.sh"


def test_finds_a_python_310():
    out = subprocess.run([FIND_PYTHON], capture_output=True, text=True, check=True).stdout.strip()
    version = subprocess.run(
        [out, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True, text=True, check=True
    ).stdout
    assert version.strip() == "(3, 10)"


def test_explains_what_to_install_when_there_is_none(tmp_path: Path):
    empty = tmp_path / "bin"
    empty.mkdir()
    result = subprocess.run(
        ["/bin/bash", FIND_PYTHON],
        capture_output=True,
        text=True,
        env={
            "PATH": f"{empty}:/usr/bin:/bin",
            "PYENV_ROOT": str(tmp_path / "no-pyenv"),
            "HOME": str(tmp_path),
        },
    )
    if result.returncode == 0:  # the machine itself has /usr/bin/python3.10
        assert Path(result.stdout.strip()).name.startswith("python3")
        return
    assert result.returncode == 1
    assert "Python 3.10 was not found" in result.stderr
    assert "pyenv install 3.10" in result.stderr and "PYTHON=" in result.stderr


def test_a_given_interpreter_of_another_version_is_not_taken(tmp_path: Path):
    other = "/bin/false" if sys.version_info[:2] == (3, 10) else sys.executable
    result = subprocess.run(
        ["/bin/bash", FIND_PYTHON],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHON": other, "PYENV_ROOT": str(tmp_path), "HOME": str(tmp_path)},
    )
    assert result.stdout.strip() != other
