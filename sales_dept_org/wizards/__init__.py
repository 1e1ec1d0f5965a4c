from . import sales_organisation_check
