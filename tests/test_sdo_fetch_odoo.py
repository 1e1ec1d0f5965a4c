"""``scripts/sdo`` fetches Odoo 18 into ``.local/odoo`` when it finds none,
pins it in ``.local/odoo.lock`` and reuses it until ``odoo-update``.

No network: the "official repository" is a git repository built here from a
small Odoo-shaped tree and given as a ``file://`` URL (the archive likewise).
The script runs from a copy in a temporary folder, so ``.local/`` is that
folder's; ``fetch-odoo`` stops after fetching (no pip, no database).
"""

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

SDO = Path(__file__).resolve().parent.parent / "scripts" / "sdo"


def _odoo_tree(folder, major=18, mark="first"):
    (folder / "odoo").mkdir(parents=True, exist_ok=True)
    (folder / "odoo" / "__init__.py").write_text("")
    (folder / "odoo" / "release.py").write_text(
        f"version_info = ({major}, 0, 0, 'final', 0, '')\nmark = {mark!r}\n"
    )
    (folder / "requirements.txt").write_text("")
    (folder / "odoo-bin").write_text("#!/usr/bin/env python3\n")
    return folder


def _git(folder, *args):
    done = subprocess.run(
        ["git", "-C", str(folder), *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


class Upstream:
    """A git repository with an ``18.0`` branch holding an Odoo-shaped tree."""

    def __init__(self, folder, major=18):
        self.folder = folder
        self.url = f"file://{folder}"
        _odoo_tree(folder, major)
        _git(folder, "init", "-q", "-b", "18.0")
        self.commits = [self._commit()]

    def _commit(self):
        _git(self.folder, "add", "-A")
        _git(self.folder, "commit", "-q", "-m", "Odoo")
        return _git(self.folder, "rev-parse", "HEAD")

    def new_commit(self, mark):
        _odoo_tree(self.folder, mark=mark)
        self.commits.append(self._commit())
        return self.commits[-1]


@pytest.fixture
def sdo(tmp_path):
    """Runs a copy of ``scripts/sdo`` whose repository root is ``tmp_path/repo``,
    with no Odoo anywhere: ``python3`` imports a fake Odoo 17 (shadowing any
    installed one), no ``$ODOO_SRC``, the system place an empty path."""
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    shutil.copy2(SDO, repo / "scripts" / "sdo")
    pythonpath = tmp_path / "pythonpath"
    _odoo_tree(pythonpath, major=17)
    upstream = Upstream(tmp_path / "upstream")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ODOO_", "SDO_", "GIT_"))}
    env.update(
        HOME=str(tmp_path),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@localhost",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@localhost",
        VENV=str(tmp_path / "venv"),
        PYTHONPATH=str(pythonpath),
        SDO_OPT_ODOO=str(tmp_path / "opt-odoo"),
        ODOO_GIT_URL=upstream.url,
    )

    def run(command, **extra):
        done = subprocess.run(
            [str(repo / "scripts" / "sdo"), command],
            env={**env, **extra},
            capture_output=True,
            text=True,
            check=False,
        )
        return done.returncode, done.stdout.strip(), done.stderr

    run.env = env
    run.upstream = upstream
    run.local = repo / ".local"
    run.fetched = repo / ".local" / "odoo"
    run.lock = repo / ".local" / "odoo.lock"
    return run


def _mark(tree):
    return (tree / "odoo" / "release.py").read_text().splitlines()[1]


def _git_lock(sdo, commit, ref="18.0"):
    return f"source=git\nurl={sdo.upstream.url}\nref={ref}\ncommit={commit}\n"


def test_first_fetch_is_a_shallow_clone_of_the_branch_locked_at_its_commit(sdo):
    older = sdo.upstream.commits[0]
    newest = sdo.upstream.new_commit("second")
    code, out, err = sdo("fetch-odoo")
    assert (code, out) == (0, f"src:{sdo.fetched}")
    assert _mark(sdo.fetched) == "mark = 'second'"
    assert sdo.lock.read_text() == _git_lock(sdo, newest)
    assert _git(sdo.fetched, "rev-list", "--count", "HEAD") == "1"  # shallow
    assert older not in _git(sdo.fetched, "log", "--format=%H")
    # git's own progress, and the commit used, are shown
    assert "Counting objects" in err
    assert f"{sdo.upstream.url} 18.0 at commit {newest}" in err
    assert sorted(p.name for p in sdo.local.iterdir()) == ["odoo", "odoo.lock"]


def test_later_runs_reuse_the_locked_tree_without_fetching(sdo):
    first = sdo.upstream.commits[0]
    assert sdo("fetch-odoo")[0] == 0
    sdo.upstream.new_commit("second")
    # even with the repository out of reach: nothing is fetched
    code, out, err = sdo("fetch-odoo", ODOO_GIT_URL="file:///nowhere")
    assert (code, out) == (0, f"src:{sdo.fetched}")
    assert "Fetching" not in err
    assert f"at commit {first}" in err
    assert sdo.lock.read_text() == _git_lock(sdo, first)
    assert _mark(sdo.fetched) == "mark = 'first'"
    assert sdo("odoo-origin")[1] == f"src:{sdo.fetched}"


def test_odoo_update_fetches_the_newest_commit_of_the_branch(sdo):
    assert sdo("fetch-odoo")[0] == 0
    newest = sdo.upstream.new_commit("second")
    code, _out, err = sdo("odoo-update")
    assert code == 0, err
    assert sdo.lock.read_text() == _git_lock(sdo, newest)
    assert _mark(sdo.fetched) == "mark = 'second'"
    assert sorted(p.name for p in sdo.local.iterdir()) == ["odoo", "odoo.lock"]


def test_a_tree_removed_by_hand_comes_back_at_the_locked_commit(sdo):
    first = sdo.upstream.commits[0]
    assert sdo("fetch-odoo")[0] == 0
    sdo.upstream.new_commit("second")
    shutil.rmtree(sdo.fetched)
    code, out, _err = sdo("fetch-odoo")
    assert (code, out) == (0, f"src:{sdo.fetched}")
    assert _git(sdo.fetched, "rev-parse", "HEAD") == first
    assert _mark(sdo.fetched) == "mark = 'first'"
    assert sdo.lock.read_text() == _git_lock(sdo, first)


def test_a_tree_put_in_local_odoo_by_hand_is_used_as_it_is(sdo):
    _odoo_tree(sdo.fetched, mark="by hand")
    code, out, err = sdo("fetch-odoo")
    assert (code, out) == (0, f"src:{sdo.fetched}")
    assert "Fetching" not in err
    assert "a tree not fetched here (no .local/odoo.lock)" in err
    assert not sdo.lock.exists()


def _error(err):
    """The script's closing message (after git's own output)."""
    return err[err.index("ERROR: ") :]


def test_an_unreachable_repository_fails_clearly_and_leaves_nothing(sdo, tmp_path):
    url = f"file://{tmp_path}/nowhere"
    code, out, err = sdo("fetch-odoo", ODOO_GIT_URL=url)
    assert (code, out) == (1, "")
    message = _error(err)
    assert message.startswith(
        f"ERROR: could not fetch Odoo 18.0 from {url}: "
        f"'{tmp_path}/nowhere' does not appear to be a git repository\n"
    )
    assert "ODOO_SRC=/path/to/odoo" in message
    assert str(tmp_path / "opt-odoo") in message
    assert list(sdo.local.iterdir()) == []


def test_a_missing_branch_is_named_in_the_error(sdo):
    code, _out, err = sdo("fetch-odoo", ODOO_GIT_REF="18.1")
    assert code == 1
    assert _error(err).startswith(
        f"ERROR: could not fetch Odoo 18.0 from {sdo.upstream.url}: couldn't find remote ref 18.1\n"
    )
    assert list(sdo.local.iterdir()) == []


def test_a_repository_of_another_odoo_is_refused(sdo, tmp_path):
    other = Upstream(tmp_path / "odoo-17", major=17)
    code, _out, err = sdo("fetch-odoo", ODOO_GIT_URL=other.url)
    assert code == 1
    assert _error(err).startswith(
        f"ERROR: could not fetch Odoo 18.0 from {other.url}: it holds no Odoo 18.0 source tree"
    )
    assert list(sdo.local.iterdir()) == []


def test_a_failed_update_keeps_the_tree_and_the_lock(sdo, tmp_path):
    assert sdo("fetch-odoo")[0] == 0
    lock = sdo.lock.read_text()
    code, _out, err = sdo("odoo-update", ODOO_GIT_URL=f"file://{tmp_path}/nowhere")
    assert code == 1
    assert ".local/odoo is left as it was." in err
    assert sdo.lock.read_text() == lock
    assert _mark(sdo.fetched) == "mark = 'first'"
    assert sorted(p.name for p in sdo.local.iterdir()) == ["odoo", "odoo.lock"]


def _archive(tree, path):
    """The tree as a source archive holding one top folder, as Odoo's are."""
    top = "odoo-18.0.post20250101"
    if path.suffix == ".zip":
        with zipfile.ZipFile(path, "w") as archive:
            for file in sorted(tree.rglob("*")):
                if ".git" not in file.parts:
                    archive.write(file, f"{top}/{file.relative_to(tree)}")
    else:
        with tarfile.open(path, "w:gz") as archive:
            archive.add(tree, top, filter=lambda info: None if ".git" in info.name else info)
    return path


@pytest.mark.parametrize("name", ["odoo_18.0.latest.tar.gz", "odoo_18.0.latest.zip"])
def test_an_archive_is_unpacked_and_its_checksum_locked(sdo, tmp_path, name):
    archive = _archive(sdo.upstream.folder, tmp_path / name)
    url = f"file://{archive}"
    code, out, err = sdo("fetch-odoo", ODOO_ARCHIVE_URL=url)
    assert (code, out) == (0, f"src:{sdo.fetched}"), err
    assert "received" in err  # the download's progress
    sha256 = hashlib.sha256(archive.read_bytes()).hexdigest()
    assert sdo.lock.read_text() == f"source=archive\nurl={url}\nsha256={sha256}\n"
    assert sorted(p.name for p in sdo.fetched.iterdir()) == ["odoo", "odoo-bin", "requirements.txt"]
    assert _mark(sdo.fetched) == "mark = 'first'"


def test_an_archive_changed_since_the_lock_is_refused(sdo, tmp_path):
    archive = _archive(sdo.upstream.folder, tmp_path / "odoo.tar.gz")
    assert sdo("fetch-odoo", ODOO_ARCHIVE_URL=f"file://{archive}")[0] == 0
    lock = sdo.lock.read_text()
    shutil.rmtree(sdo.fetched)
    sdo.upstream.new_commit("second")
    _archive(sdo.upstream.folder, archive)
    code, _out, err = sdo("fetch-odoo")
    assert code == 1
    assert "the archive changed since .local/odoo.lock" in _error(err)
    assert sdo.lock.read_text() == lock
    assert sorted(p.name for p in sdo.local.iterdir()) == ["odoo.lock"]


def test_an_unreachable_archive_fails_clearly(sdo, tmp_path):
    url = f"file://{tmp_path}/odoo_18.0.latest.tar.gz"
    code, _out, err = sdo("fetch-odoo", ODOO_ARCHIVE_URL=url)
    assert code == 1
    assert _error(err).startswith(
        f"ERROR: could not fetch Odoo 18.0 from {url}: [Errno 2] No such file or directory"
    )
    assert list(sdo.local.iterdir()) == []


def test_odoo_found_elsewhere_comes_first_in_order(sdo, tmp_path):
    """Importable odoo, then $ODOO_SRC, then the system place, then .local/odoo;
    fetching only when none is found."""
    assert sdo("fetch-odoo")[1] == f"src:{sdo.fetched}"
    opt = _odoo_tree(tmp_path / "opt-odoo")
    assert sdo("odoo-origin")[1] == f"src:{opt}"
    source = _odoo_tree(tmp_path / "odoo-src")
    assert sdo("odoo-origin", ODOO_SRC=str(source))[1] == f"src:{source}"
    importable = _odoo_tree(tmp_path / "importable")
    python3 = shutil.which("python3", path=sdo.env["PATH"])
    code, out, err = sdo("fetch-odoo", ODOO_SRC=str(source), PYTHONPATH=str(importable))
    assert (code, out) == (0, f"python:{python3}")
    assert "Odoo 18.0 in .local/odoo" not in err


def test_odoo_found_elsewhere_is_never_fetched(sdo, tmp_path):
    source = _odoo_tree(tmp_path / "odoo-src")
    code, out, _err = sdo("fetch-odoo", ODOO_SRC=str(source))
    assert (code, out) == (0, f"src:{source}")
    assert not sdo.local.exists()


def test_without_odoo_has_odoo_and_sdo_no_fetch_never_fetch(sdo):
    assert sdo("has-odoo")[0] == 1
    code, _out, err = sdo("fetch-odoo", SDO_NO_FETCH="1")
    assert code == 1
    assert err.startswith("ERROR: No Odoo 18.0 found.")
    assert not sdo.local.exists()


REAL_ODOO = Path("/opt/odoo")


@pytest.mark.skipif(
    not (REAL_ODOO / "odoo" / "release.py").is_file()
    or "version_info = (18," not in (REAL_ODOO / "odoo" / "release.py").read_text(),
    reason="no Odoo 18.0 source tree in /opt/odoo",
)
def test_a_real_odoo_18_tree_is_fetched_and_imports(sdo, tmp_path):
    """The same path end to end with the real tree: /opt/odoo committed into a
    repository here (it stays untouched), fetched through ``file://``.
    Stored without compression or deltas: a few minutes rather than ten."""
    upstream = tmp_path / "odoo.git"
    _git(tmp_path, "init", "-q", "--bare", "-b", "18.0", str(upstream))
    for key, value in (("core.compression", "0"), ("pack.window", "0")):
        _git(upstream, "config", key, value)
    tree = ["--git-dir", str(upstream), "--work-tree", str(REAL_ODOO)]
    subprocess.run(["git", *tree, "add", "-A"], env=sdo.env, check=True)
    subprocess.run(["git", *tree, "commit", "-q", "-m", "18.0"], env=sdo.env, check=True)
    commit = _git(upstream, "rev-parse", "HEAD")
    url = f"file://{upstream}"

    code, out, err = sdo("fetch-odoo", ODOO_GIT_URL=url)
    assert (code, out) == (0, f"src:{sdo.fetched}"), err
    assert sdo.lock.read_text() == f"source=git\nurl={url}\nref=18.0\ncommit={commit}\n"
    assert _git(sdo.fetched, "ls-files") == _git(upstream, "ls-tree", "-r", "--name-only", "HEAD")
    release = "odoo/release.py"
    assert (sdo.fetched / release).read_bytes() == (REAL_ODOO / release).read_bytes()
    script = "import odoo.release; print(odoo.release.version_info[0], odoo.__file__)"
    imported = subprocess.run(
        [sys.executable, "-c", script],
        env={**sdo.env, "PYTHONPATH": str(sdo.fetched)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert imported.stdout == f"18 {sdo.fetched / 'odoo' / '__init__.py'}\n"
    # the second run fetches nothing
    code, out, err = sdo("fetch-odoo", ODOO_GIT_URL="file:///nowhere")
    assert (code, out) == (0, f"src:{sdo.fetched}")
    assert "Fetching" not in err


def test_ci_never_fetches_and_says_the_odoo_tests_were_skipped(sdo, tmp_path):
    """``.ci/run`` without Odoo: lint and the odoo-free tests (a stand-in
    ``make`` records what it is asked), the skip line, nothing fetched."""
    ci = sdo.local.parent / ".ci" / "run"
    ci.parent.mkdir()
    shutil.copy2(SDO.parent.parent / ".ci" / "run", ci)
    called = tmp_path / "make-called"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "make").write_text(f'#!/bin/sh\necho "$*" >> {called}\n')
    (bin_dir / "make").chmod(0o755)
    done = subprocess.run(
        ["bash", str(ci)],
        env={**sdo.env, "PATH": f"{bin_dir}{os.pathsep}{sdo.env['PATH']}"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ODOO TESTS SKIPPED: no Odoo 18.0 found")
    assert called.read_text() == "lint\ntest-engine\n"
    assert not sdo.local.exists()
