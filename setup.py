"""Packages the addon as odoo-addon-sales_dept_org.

The wheel maps the package ``odoo.addons.sales_dept_org`` onto the
``sales_dept_org/`` folder, the namespace layout OCA wheels use, so an
installed wheel is found by Odoo without any addons path. Migration scripts
live inside the addon (``sales_dept_org/migrations/<version>/``) and travel in
the wheel like any other data file.
"""

import ast
from pathlib import Path

from setuptools import setup

HERE = Path(__file__).parent
ADDON = "sales_dept_org"
MANIFEST = ast.literal_eval((HERE / ADDON / "__manifest__.py").read_text())


def addon_packages():
    """Every folder holding Python code, as a dotted name under odoo.addons."""
    return [
        ".".join(("odoo", "addons", *init.parent.relative_to(HERE).parts))
        for init in sorted((HERE / ADDON).rglob("__init__.py"))
    ]


def addon_data_files():
    """Every file that is not a module of a package: views, data, i18n,
    static, and the migration scripts (their folders are no packages)."""
    return [
        str(path.relative_to(HERE / ADDON))
        for path in sorted((HERE / ADDON).rglob("*"))
        if path.is_file()
        and "__pycache__" not in path.parts
        and path.suffix != ".pyc"
        and not (path.suffix == ".py" and (path.parent / "__init__.py").exists())
    ]


setup(
    name=f"odoo-addon-{ADDON}",
    version=MANIFEST["version"],
    description=MANIFEST["summary"],
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    author=MANIFEST["author"],
    url=MANIFEST["website"],
    license="LGPL-3",
    python_requires=">=3.10",
    install_requires=MANIFEST["external_dependencies"]["python"],
    packages=addon_packages(),
    package_dir={f"odoo.addons.{ADDON}": ADDON},
    package_data={f"odoo.addons.{ADDON}": addon_data_files()},
    classifiers=[
        "Programming Language :: Python",
        "Framework :: Odoo",
        "Framework :: Odoo :: 18.0",
        "License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)",
    ],
    zip_safe=False,
)
