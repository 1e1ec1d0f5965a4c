"""``scripts/sdo`` finds Odoo again when the environment's remembered answer
is "none" or points to a folder gone since, and keeps a remembered origin
that is still there.

Runs ``scripts/sdo odoo-origin`` (which builds nothing) with a temporary
environment folder as ``VENV``, a fake Odoo-shaped source tree as
``ODOO_SRC`` and a ``python3`` on the ``PATH`` that cannot import odoo.
"""

import os
import subprocess
from pathlib import Path

import pytest

SDO = Path(__file__).resolve().parent.parent / "scripts" / "sdo"


def _executable(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o755)


def _odoo_tree(folder, major=18):
    (folder / "odoo").mkdir(parents=True)
    (folder / "odoo" / "release.py").write_text(f"version_info = ({major}, 0, 0, 'final', 0, '')\n")
    (folder / "requirements.txt").write_text("")
    return folder


@pytest.fixture
def sdo(tmp_path):
    """Runs ``scripts/sdo <command>`` with ``$VENV/.odoo-origin`` holding the
    given text; returns its exit code and output."""
    venv = tmp_path / "venv"
    _executable(venv / "bin" / "python", "#!/bin/sh\nexit 1\n")
    _executable(tmp_path / "bin" / "python3", "#!/bin/sh\nexit 1\n")
    source = _odoo_tree(tmp_path / "odoo-src")
    env = dict(
        os.environ,
        VENV=str(venv),
        ODOO_SRC=str(source),
        PATH=f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}",
    )

    def run(command, remembered):
        (venv / ".odoo-origin").write_text(remembered)
        done = subprocess.run(
            [str(SDO), command], env=env, capture_output=True, text=True, check=False
        )
        return done.returncode, done.stdout.strip()

    run.source = source
    return run


def test_a_remembered_none_is_looked_for_again(sdo):
    assert sdo("odoo-origin", "\n") == (0, f"src:{sdo.source}")
    assert sdo("has-odoo", "\n")[0] == 0


def test_a_remembered_folder_gone_is_looked_for_again(sdo, tmp_path):
    assert sdo("odoo-origin", f"src:{tmp_path / 'gone'}\n") == (0, f"src:{sdo.source}")


def test_a_remembered_folder_no_longer_odoo_18_is_looked_for_again(sdo, tmp_path):
    other = _odoo_tree(tmp_path / "odoo-17", major=17)
    assert sdo("odoo-origin", f"src:{other}\n") == (0, f"src:{sdo.source}")


def test_a_remembered_origin_still_there_is_kept(sdo, tmp_path):
    kept = _odoo_tree(tmp_path / "odoo-kept")
    assert sdo("odoo-origin", f"src:{kept}\n") == (0, f"src:{kept}")
    interpreter = tmp_path / "bin" / "python3"
    assert sdo("odoo-origin", f"python:{interpreter}\n") == (0, f"python:{interpreter}")
