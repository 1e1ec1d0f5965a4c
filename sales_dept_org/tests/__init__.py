from . import test_foundation
from . import test_demo_department
from . import test_handoff
from . import test_organisation
