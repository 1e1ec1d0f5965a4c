from . import sales_stage_override_wizard
from . import sales_organisation_check
from . import sales_abcxyz_migration
from . import sales_money_report
from . import sales_bonus_sheet_reopen
from . import sales_bonus_sheet_confirm
from . import sales_kpi_plan_breakdown
from . import sales_setup_wizard
