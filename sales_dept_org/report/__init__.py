from . import sales_bonus_sheet_xlsx
from . import sales_bonus_instant_xlsx
