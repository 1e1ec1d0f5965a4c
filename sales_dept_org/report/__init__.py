from . import sales_bonus_sheet_xlsx
