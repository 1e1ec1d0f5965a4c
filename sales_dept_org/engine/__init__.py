"""Pure computations of the sales department: no odoo import anywhere below.

Each module is small and tested by plain pytest in the top-level tests/.
"""
