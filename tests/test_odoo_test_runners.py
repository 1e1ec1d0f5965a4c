"""Odoo's runner and pytest-odoo run the same Odoo tests of the addon.

The two find tests differently:

- Odoo's runner (``--test-tags /sales_dept_org``) runs the ``test_*`` modules
  that ``tests/__init__.py`` imports; in each, the Odoo test classes defined
  there that keep the ``standard`` tag, and of those only the ``test*``
  methods written in the class itself (not inherited ones).
- pytest-odoo runs every ``test_*.py`` file of the folder; in each, every
  ``unittest`` class in the module's namespace (imported ones too) with all
  its ``test*`` methods, inherited ones too, and module-level ``test*``
  functions; it skips ``HttpCase`` classes unless given ``--odoo-http``, which
  ``scripts/sdo`` gives whenever the browser tours can run (else it says
  why they are skipped, and the root ``conftest.py`` fails a browser test
  skipped under ``--odoo-http``): the model counts them as run.

Both are modelled here from the source, without Odoo, so a difference fails
in seconds. Base classes from outside the folder (Odoo's ``TransactionCase``,
crm's ``TestCrmCommon``) are taken to bring no test methods of their own.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDON_TESTS = ROOT / "sales_dept_org" / "tests"
PACKAGE = "odoo.addons.sales_dept_org.tests"
DEFAULT_TAGS = frozenset({"standard", "at_install"})


class SourceFolder:
    """The test modules of one folder, read with ``ast``."""

    def __init__(self, folder):
        self.folder = folder
        self.modules = {path.stem: ast.parse(path.read_text()) for path in folder.glob("*.py")}

    def test_files(self):
        return {name for name in self.modules if name.startswith("test_")}

    def imported_by_init(self):
        return {
            alias.name
            for node in self.modules["__init__"].body
            if isinstance(node, ast.ImportFrom) and node.level == 1 and not node.module
            for alias in node.names
            if alias.name.startswith("test_")
        }

    def classes(self, module):
        return {
            node.name: node for node in self.modules[module].body if isinstance(node, ast.ClassDef)
        }

    def namespace(self, module):
        """Each name a module binds by ``class`` or ``from ... import``:
        ``(module, name)`` of a class of this folder, or ``(None, dotted)``."""
        bound = {name: (module, name) for name in self.classes(module)}
        for node in self.modules[module].body:
            if isinstance(node, ast.ImportFrom):
                source = node.module or ""
                if node.level:
                    source = f"{PACKAGE}.{source}" if source else PACKAGE
                local = source.removeprefix(f"{PACKAGE}.")
                for alias in node.names:
                    target = (
                        (local, alias.name)
                        if local in self.modules
                        else (None, f"{source}.{alias.name}")
                    )
                    bound[alias.asname or alias.name] = target
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    bound[alias.asname or alias.name] = (None, alias.name)
        return bound

    def resolve(self, module, name):
        """The class of this folder a name of a module stands for, or None."""
        if name in self.classes(module):
            return module, name
        where, name = self.namespace(module).get(name, (None, name))
        return self.resolve(where, name) if where else None

    def bases(self, module, cls):
        """The resolved bases of a class: ``(module, name)`` or ``(None, dotted)``."""
        names = self.namespace(module)
        for base in self.classes(module)[cls].bases:
            dotted = ast.unparse(base)
            head, _, tail = dotted.partition(".")
            where, name = names.get(head, (None, head))
            if where and not tail and self.resolve(where, name):
                yield self.resolve(where, name)
            else:
                yield None, ".".join(filter(None, (name, tail)))

    def kind(self, module, cls):
        """``"http"``, ``"odoo"``, ``"unittest"`` or None (not a test case)."""
        kinds = set()
        for where, name in self.bases(module, cls):
            if where:
                kinds.add(self.kind(where, name))
            elif name.split(".")[-1] == "HttpCase":
                kinds.add("http")
            elif name.startswith("odoo."):
                kinds.add("odoo")
            elif name.startswith("unittest"):
                kinds.add("unittest")
        return next((kind for kind in ("http", "odoo", "unittest") if kind in kinds), None)

    def tags(self, module, cls):
        """``test_tags`` as Odoo sets them: inherited, then each ``@tagged``."""
        tags = next(
            (self.tags(where, name) for where, name in self.bases(module, cls) if where),
            DEFAULT_TAGS,
        )
        for decorator in reversed(self.classes(module)[cls].decorator_list):
            if isinstance(decorator, ast.Call) and ast.unparse(decorator.func) == "tagged":
                given = [arg.value for arg in decorator.args if isinstance(arg, ast.Constant)]
                tags = (tags | {t for t in given if t[0] != "-"}) - {t[1:] for t in given}
        return tags

    def own_tests(self, module, cls):
        return {
            node.name
            for node in self.classes(module)[cls].body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.name.startswith("test")
        }

    def all_tests(self, module, cls):
        inherited = (self.all_tests(*base) for base in self.bases(module, cls) if base[0])
        return self.own_tests(module, cls).union(*inherited)

    def run_by_odoo(self):
        return {
            f"{module}.{cls}.{test}"
            for module in self.imported_by_init() & self.test_files()
            for cls in self.classes(module)
            if self.kind(module, cls) in ("odoo", "http") and "standard" in self.tags(module, cls)
            for test in self.own_tests(module, cls)
        }

    def run_by_pytest(self):
        run = set()
        for module in self.test_files():
            run |= {
                f"{module}.{node.name}"
                for node in self.modules[module].body
                if isinstance(node, ast.FunctionDef) and node.name.startswith("test")
            }
            for bound in self.namespace(module):
                cls = self.resolve(module, bound)
                if cls and self.kind(*cls) in ("odoo", "http", "unittest"):
                    run |= {f"{module}.{bound}.{test}" for test in self.all_tests(*cls)}
        return run


def test_init_imports_every_test_module():
    folder = SourceFolder(ADDON_TESTS)
    assert folder.imported_by_init() == folder.test_files()


def test_both_runners_run_the_same_tests():
    folder = SourceFolder(ADDON_TESTS)
    run_by_odoo, run_by_pytest = folder.run_by_odoo(), folder.run_by_pytest()
    assert run_by_odoo == run_by_pytest, {
        "only Odoo's runner": sorted(run_by_odoo - run_by_pytest),
        "only pytest-odoo": sorted(run_by_pytest - run_by_odoo),
    }
    assert len(run_by_odoo) > 200  # the model does see the addon's tests


def test_the_suite_asks_pytest_odoo_for_the_browser_tests():
    """The model above counts ``HttpCase`` tests as run by pytest-odoo: true
    only while ``make test`` passes ``--odoo-http`` to it."""
    sdo = (ROOT / "scripts" / "sdo").read_text()
    suite = sdo[sdo.index("cmd_test() {") :]
    suite = suite[: suite.index("\n}\n")]
    assert "TOURS=--odoo-http" in sdo
    assert '${TOURS:+"$TOURS"}' in suite


def test_the_model_sees_each_difference(tmp_path):
    """One folder with every way the runners part: a module missing from
    ``__init__``, a class without ``standard``, an inherited test method, a
    test class imported into another module, a module-level test function, a
    plain ``unittest`` class; and an ``HttpCase``, which both run."""
    files = {
        "__init__.py": "from . import test_a\nfrom . import test_b\n",
        "common.py": (
            "from odoo.tests import TransactionCase, tagged\n"
            "@tagged('post_install', '-at_install')\n"
            "class Common(TransactionCase):\n"
            "    def test_inherited(self): pass\n"
            "    def helper(self): pass\n"
        ),
        "test_a.py": (
            "from odoo.tests import HttpCase, tagged\n"
            "from odoo.addons.sales_dept_org.tests.common import Common\n"
            "class TestA(Common):\n"
            "    def test_own(self): pass\n"
            "@tagged('-standard', 'nightly')\n"
            "class TestNightly(Common):\n"
            "    def test_slow(self): pass\n"
            "class TestTour(HttpCase):\n"
            "    def test_tour(self): pass\n"
        ),
        "test_b.py": (
            "import unittest\n"
            "from .test_a import TestA\n"
            "class TestPlain(unittest.TestCase):\n"
            "    def test_plain(self): pass\n"
            "def test_function(): pass\n"
        ),
        "test_c.py": (
            "from odoo.tests.common import TransactionCase\n"
            "class TestC(TransactionCase):\n"
            "    def test_forgotten(self): pass\n"
        ),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    folder = SourceFolder(tmp_path)

    assert folder.test_files() - folder.imported_by_init() == {"test_c"}
    assert folder.tags("test_a", "TestA") == {"standard", "post_install"}
    assert folder.tags("test_a", "TestNightly") == {"post_install", "nightly"}
    assert folder.run_by_odoo() == {"test_a.TestA.test_own", "test_a.TestTour.test_tour"}
    assert folder.run_by_pytest() == {
        "test_a.Common.test_inherited",
        "test_a.TestA.test_own",
        "test_a.TestA.test_inherited",
        "test_a.TestNightly.test_slow",
        "test_a.TestNightly.test_inherited",
        "test_b.TestA.test_own",
        "test_b.TestA.test_inherited",
        "test_b.TestPlain.test_plain",
        "test_a.TestTour.test_tour",
        "test_b.test_function",
        "test_c.TestC.test_forgotten",
    }
