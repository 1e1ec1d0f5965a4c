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
        "views/crm_stage_views.xml",
        "views/hr_employee_views.xml",
        "views/crm_team_member_views.xml",
        "views/crm_team_views.xml",
        "views/crm_lead_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/sales_organisation_check_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/sales_dept_demo.xml",
    ],
}
