/** @odoo-module **/

import { registry } from "@web/core/registry";
import { openDepartmentMenu, typeIn } from "./sales_dept_tour_utils";

/* The director reads the funnel as a funnel: the stages in the pipeline's
   order with the conversion from the stage before, then one funnel per
   customer type once the report is cut by it (the only label used is the
   cut's, in Polish: the tour runs in Polish). */
registry.category("web_tour.tours").add("sales_funnel_chart_tour", {
    steps: () => [
        ...openDepartmentMenu("sales_funnel_report_menu"),
        {
            content: "switch to the funnel chart",
            trigger: ".o_switch_view.o_graph",
            run: "click",
        },
        {
            content: "the first stage: every lead, no conversion before it",
            trigger: ".o_sales_funnel_stage:first-child .o_sales_funnel_bar:contains('4')",
        },
        {
            content: "the second stage: 2 of 4 leads, 50%",
            trigger: ".o_sales_funnel_stage:nth-child(2) .o_sales_funnel_conversion:contains('50,0%')",
        },
        {
            content: "open the leads behind the second stage",
            trigger: ".o_sales_funnel_stage:nth-child(2) .o_sales_funnel_bar",
            run: "click",
        },
        {
            content: "the two leads that reached it, and no other",
            trigger:
                ".o_list_view:has(.o_data_row:contains('L0')):has(.o_data_row:contains('L1'))" +
                ":not(:has(.o_data_row:nth-child(3)))",
        },
        {
            content: "back to the funnel",
            trigger: ".o_breadcrumb .breadcrumb-item:first-child a",
            run: "click",
        },
        {
            content: "the funnel again",
            trigger: ".o_sales_funnel_stage:nth-child(2) .o_sales_funnel_bar:contains('2')",
        },
        {
            content: "open the search options",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "cut by new or existing customer",
            trigger: ".o_group_by_menu .o_menu_item:contains('Nowi / obecni')",
            run: "click",
        },
        {
            content: "one funnel per customer type",
            trigger: ".o_sales_funnel_chart:nth-child(2) .o_sales_funnel_cut",
        },
    ],
});

/** Adds a person to the set-up table. */
function addPerson(team, role, name, email) {
    const row = ".modal .o_field_widget[name=member_ids] .o_selected_row";
    return [
        {
            content: `add ${name}`,
            trigger: ".modal .o_field_widget[name=member_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        typeIn(row, "team_name", team),
        {
            content: `${name} is ${role}`,
            trigger: `${row} .o_field_widget[name=role] select`,
            run: `select "${role}"`,
        },
        typeIn(row, "name", name),
        typeIn(row, "email", email),
    ];
}

/* The first hour: the director, in Polish, sets up a team with a head and
   two salespeople and lands on the board, which shows them. */
registry.category("web_tour.tours").add("sales_setup_wizard_tour", {
    steps: () => [
        ...openDepartmentMenu("sales_setup_wizard_menu"),
        ...addPerson("Zespół Północ", "head", "Ewa Nowak", "ewa.nowak@example.com"),
        ...addPerson("Zespół Północ", "hunter", "Marek Lis", "marek.lis@example.com"),
        ...addPerson("Zespół Północ", "closer", "Ola Wrona", "ola.wrona@example.com"),
        {
            content: "the monthly targets are filled in, one row per role and metric",
            trigger: ".modal .o_field_widget[name=target_ids] .o_data_row:nth-child(9)",
        },
        {
            content: "set the department up",
            trigger: ".modal-footer button[name=action_apply]",
            run: "click",
        },
        {
            content: "the board shows the new people",
            trigger: ".o_action_manager .o_content:contains('Marek Lis'):contains('Ola Wrona')",
        },
    ],
});
