from . import sales_organisation_check
from . import sales_stage_override_wizard
