from . import sales_stage_override_wizard
