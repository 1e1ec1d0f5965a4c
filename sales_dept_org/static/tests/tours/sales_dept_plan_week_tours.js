/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { planLine } from "./sales_dept_head_tour";
import { openDepartmentMenu, pickRecord, typeIn } from "./sales_dept_tour_utils";

/* A salesperson opens My Plan and reads this week's calls: the week's
   target (5 working days of 100) and the two calls made today. Starts in
   the CRM app. */
registry.category("web_tour.tours").add("sales_dept_my_plan_week_tour", {
    steps: () => [
        ...openDepartmentMenu("sales_kpi_plan_line_menu_my"),
        {
            content: "the week columns are there",
            trigger: ".o_list_view th[data-name=week_to_date_target]",
        },
        {
            content: "this week's target of calls",
            trigger: ".o_data_row:contains('Calls made') td[name=week_target]:contains('500')",
        },
        {
            content: "the calls of the week so far",
            trigger: ".o_data_row:contains('Calls made') td[name=week_to_date_fact]:contains('2')",
        },
    ],
});

/** Types a date into the date field ``name`` of the form. */
function dateIn(name, value) {
    return {
        content: `${name}: ${value}`,
        trigger: `.o_form_view .o_field_widget[name=${name}] input`,
        run: `edit ${value} && click .o_form_view .oe_title`,
    };
}

/* A head frames the first quarter of 2027 for the hunter, then plans
   January beneath it over the quarter's figure: the quarter's form warns.
   Starts on the list of KPI plans. */
registry.category("web_tour.tours").add("sales_dept_quarter_plan_tour", {
    steps: () => [
        {
            content: "a new plan",
            trigger: ".o_list_button_add",
            run: "click",
        },
        typeIn(".o_form_view", "name", "Q1 2027"),
        {
            content: "a quarter plan",
            trigger: ".o_form_view .o_field_widget[name=level] select",
            run: 'select "quarter"',
        },
        ...pickRecord(".o_form_view", "team_id", "North"),
        dateIn("date_from", "01/01/2027"),
        dateIn("date_to", "03/31/2027"),
        ...planLine("Jan Hunter", "target", "3000"),
        ...stepUtils.saveForm(),
        {
            content: "a second new plan",
            trigger: ".o_form_button_create",
            run: "click",
        },
        typeIn(".o_form_view", "name", "January 2027"),
        ...pickRecord(".o_form_view", "team_id", "North"),
        dateIn("date_from", "01/01/2027"),
        dateIn("date_to", "01/31/2027"),
        ...pickRecord(".o_form_view", "parent_id", "Q1 2027"),
        ...planLine("Jan Hunter", "target", "3100"),
        ...stepUtils.saveForm(),
        {
            content: "back to the plans",
            trigger: ".o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "open the quarter",
            trigger: ".o_data_row:contains('Q1 2027') td[name=name]",
            run: "click",
        },
        {
            content: "the quarter warns of January over it",
            trigger: ".o_form_view .alert-warning:contains('3100'):contains('Q1 2027')",
        },
        {
            content: "open the month plans",
            trigger: ".o_notebook .nav-link[name=month_plans]",
            run: "click",
        },
        {
            content: "January is beneath it",
            trigger: ".o_field_widget[name=child_ids] .o_data_row:contains('January 2027')",
        },
    ],
});
