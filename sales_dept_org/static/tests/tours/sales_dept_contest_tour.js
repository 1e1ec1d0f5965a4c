/** @odoo-module **/

import { registry } from "@web/core/registry";
import { pickRecord, typeIn } from "./sales_dept_tour_utils";

/* A head runs a contest: creates it for his team (this month by default),
   starts it, reads the live leaderboard and closes it. Widgets are found by
   field name and buttons by method; only the metric is picked by its name,
   in the head's language (``metric``). */
function contestSteps(metric) {
    return [
        typeIn(".o_form_view", "name", "Sprint telefonów"),
        ...pickRecord(".o_form_view", "team_ids", "North"),
        ...pickRecord(".o_form_view", "metric_id", metric),
        typeIn(".o_form_view", "top_count", "1"),
        typeIn(".o_form_view", "prize_amount", "300"),
        {
            content: "start it (the form saves first)",
            trigger: ".o_form_view button[name=action_start]",
            run: "click",
        },
        {
            content: "the leaderboard ranks Jan first with his 50 calls",
            trigger:
                ".o_form_view .o_field_widget[name=leaderboard] tr:nth-child(2):contains('Jan Hunter'):contains('50.00')",
        },
        {
            content: "close it",
            trigger: ".o_form_view button[name=action_close]",
            run: "click",
        },
        {
            content: "confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "the contest is closed",
            trigger: ".o_statusbar_status [data-value=closed].o_arrow_button_current",
        },
    ];
}

registry.category("web_tour.tours").add("sales_dept_contest_tour", {
    steps: () => contestSteps("Calls made"),
});

registry.category("web_tour.tours").add("sales_dept_contest_tour_pl", {
    steps: () => contestSteps("Wykonane telefony"),
});
