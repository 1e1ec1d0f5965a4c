from . import sales_stage_override_wizard
from . import sales_organisation_check
