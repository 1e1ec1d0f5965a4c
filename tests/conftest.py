"""Plain pytest of the addon's odoo-free engine.

The addon's own ``__init__`` imports odoo; the engine never does. Registering
``sales_dept_org`` as a bare package (its folder, without running its
``__init__``) lets ``import sales_dept_org.engine...`` work on a machine
without Odoo.

Property tests run without time limits: the shared CI machine can be slow
for seconds, and a slow example is not a wrong one.
"""

import sys
import types
from pathlib import Path

from hypothesis import HealthCheck, settings

ADDON_DIR = Path(__file__).resolve().parent.parent / "sales_dept_org"

if "sales_dept_org" not in sys.modules:
    package = types.ModuleType("sales_dept_org")
    package.__path__ = [str(ADDON_DIR)]
    sys.modules["sales_dept_org"] = package

settings.register_profile(
    "sales_dept_org", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("sales_dept_org")
