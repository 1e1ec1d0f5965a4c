/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { openDepartmentMenu, pickRecord, typeIn } from "./sales_dept_tour_utils";

const LINES = ".o_field_widget[name=line_ids]";
const ROW = `${LINES} .o_selected_row`;

/** A plan line: the first metric offered (revenue won, the first by
    sequence), for ``person`` (the team's own line when none) with ``field``
    set to ``value``. */
export function planLine(person, field, value) {
    return [
        {
            content: "add a line",
            trigger: `${LINES} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            content: "open the metrics",
            trigger: `${ROW} .o_field_widget[name=metric_id] input`,
            run: "click",
        },
        {
            content: "the first metric",
            trigger: ".o-autocomplete--dropdown-item:first-child > a",
            run: "click",
        },
        ...(person ? pickRecord(ROW, "user_id", person) : []),
        typeIn(ROW, field, value),
    ];
}

/* A head plans the month of his team: the team's revenue, shared by weight
   between the hunter (1) and the closer (3), then finds it on the board.
   Starts on a new plan's form. */
registry.category("web_tour.tours").add("sales_dept_head_plan_tour", {
    steps: () => [
        typeIn(".o_form_view", "name", "Północ, plan miesiąca"),
        ...pickRecord(".o_form_view", "team_id", "Północ"),
        ...planLine(null, "target", "200000"),
        ...planLine("Jan Wójcik", "weight", "1"),
        ...planLine("Tomasz Zieliński", "weight", "3"),
        ...stepUtils.saveForm(),
        {
            content: "share the team's revenue by weight",
            trigger: ".o_form_view button[name=action_split_targets]",
            run: "click",
        },
        {
            content: "the closer's share",
            trigger: `${LINES} .o_data_row:contains('Tomasz Zieliński') td[name=target]:contains('150')`,
        },
        ...openDepartmentMenu("sales_kpi_board_menu"),
        {
            content: "the hunter's revenue target is on the board",
            trigger:
                ".o_data_row:contains('Jan Wójcik') .o_sales_kpi_board th[data-metric=revenue_won]",
        },
    ],
});
