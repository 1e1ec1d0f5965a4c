/** @odoo-module **/

import { registry } from "@web/core/registry";
import { typeIn } from "./sales_dept_tour_utils";

const LINES = ".modal .o_field_widget[name=line_ids]";

/** The wizard's row of ``person``, its cell ``field`` showing ``value``. */
function cell(person, field, value) {
    return `${LINES} .o_data_row:contains('${person}') td[name=${field}]:contains('${value}')`;
}

/* A head goes from "500 000 zł this month" to saved per-person plans: on
   his team's plan he opens the breakdown, types the target, reads each
   person's share, raises Zofia's calls to 200 and saves. Starts on the
   plan's form. */
registry.category("web_tour.tours").add("sales_dept_head_breakdown_tour", {
    steps: () => [
        {
            content: "open the breakdown",
            trigger: ".o_form_view button.o_sales_plan_breakdown",
            run: "click",
        },
        { ...typeIn(".modal", "target", "500000"), run: "edit 500000 && press Tab" },
        {
            content: "the average won deal of the history",
            trigger: ".modal .o_field_widget[name=average_order]:contains('25')",
        },
        {
            content: "the calls the month needs",
            trigger: ".modal .o_field_widget[name=calls_needed]:contains('000')",
        },
        {
            content: "the closer's share of the revenue",
            trigger: cell("Tomasz Closer", "revenue", "250"),
        },
        {
            content: "Zofia's calls, by her weight",
            trigger: cell("Zofia Hunter", "calls", "167"),
            run: "click",
        },
        {
            content: "raise them",
            trigger: `${LINES} .o_selected_row .o_field_widget[name=calls] input`,
            run: "edit 200 && press Tab",
        },
        {
            content: "save to the plan",
            trigger: ".modal footer button[name=action_apply]",
            run: "click",
        },
        {
            content: "the plan holds Zofia's calls",
            trigger:
                ".o_form_view:not(:has(.modal)) .o_field_widget[name=line_ids] .o_data_row:contains('Zofia Hunter'):contains('200')",
        },
    ],
});
