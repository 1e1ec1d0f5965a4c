from . import test_foundation
from . import test_demo_department
from . import test_bonus_sheet
from . import test_bonus_scheme
from . import test_bonus_access
from . import test_bonus_export
from . import test_bonus_concurrency
from . import test_bonus_demo
