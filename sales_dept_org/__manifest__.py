{
    "name": "Sales Department Organisation",
    "summary": "Roles, regulated pipeline, KPI plans, pay and report rhythm "
    "for a sales department on top of the standard CRM",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "Sales Dept Org Contributors",
    "website": "https://github.com/sales-dept-org/sales_dept_org",
    "depends": ["crm", "sale_crm", "hr", "mail"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/sales_dept_org_security.xml",
        "security/ir.model.access.csv",
        "security/sales_kpi_security.xml",
        "data/sales_kpi_metric_data.xml",
        "data/sales_kpi_cron.xml",
        "views/crm_stage_views.xml",
        "views/hr_employee_views.xml",
        "views/sales_kpi_metric_views.xml",
        "views/sales_kpi_plan_views.xml",
        "views/sales_kpi_fact_views.xml",
        "views/sales_kpi_board_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/sales_dept_demo.xml",
    ],
}
