from . import test_foundation
from . import test_demo_department
from . import test_stage_rules
from . import test_stage_log
from . import test_mandatory_task
from . import test_discipline_daily
from . import test_handoff
from . import test_organisation
