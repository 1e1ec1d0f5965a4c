from . import sales_dept_demo
from . import sales_dept_demo_leads
from . import sales_dept_demo_reports
from . import sales_dept_demo_kpi
from . import sales_dept_demo_pay
from . import sales_dept_demo_calls
from . import sales_dept_demo_plan_breakdown
from . import sales_dept_demo_contests
