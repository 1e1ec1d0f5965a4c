from . import crm_stage
from . import hr_employee
from . import hr_employee_public
from . import sales_dept_demo
