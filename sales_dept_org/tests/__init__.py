from . import test_foundation
from . import test_demo_department
from . import test_abcxyz_snapshot
from . import test_money_report
from . import test_demo_reports
from . import test_digest_post
