/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { pickRecord, typeIn } from "./sales_dept_tour_utils";

/* The hunter's and the closer's day in the pipeline. Customers and people are
   found by their names, which are the same in every language. */

/** Clicks the stage after the lead's (the status bar lists them in reverse)
    and waits for the "fix it" dialog of the refusal. */
function refusedMoveOn() {
    return [
        {
            content: "move the lead on",
            trigger:
                ".o_form_view .o_statusbar_status button[role=radio]:has(+ .o_arrow_button_current)",
            run: "click",
        },
        {
            content: "refused: the fix-it dialog says what is missing",
            trigger: ".modal .o_sales_stage_fix .o_sales_fix_problems",
        },
    ];
}

function moveFromTheDialog() {
    return {
        content: "move it now",
        trigger: ".modal .o_sales_fix_move",
        run: "click",
    };
}

/** The notice naming the lead's new owner, then the user's pipeline. */
function handedTo(owner) {
    return [
        {
            content: `the notice names ${owner}`,
            trigger: `.o_notification:contains('${owner}')`,
        },
        {
            content: "back on the pipeline",
            trigger: ".o_kanban_view .o_kanban_record",
        },
    ];
}

/* The hunter enters a lead, is refused moving it on, fixes it in the dialog
   (the phone; then the customer, the amount and the meeting held) and hands
   it to the closer. Starts on a new lead's form. */
registry.category("web_tour.tours").add("sales_dept_hunter_tour", {
    steps: () => [
        typeIn(".o_form_view", "name", "Hala magazynowa Sopot"),
        ...stepUtils.saveForm(),
        ...refusedMoveOn(),
        typeIn(".modal", "phone", "+48 600 700 800"),
        moveFromTheDialog(),
        {
            content: "qualified (the stage after New), still his",
            trigger:
                "body:not(:has(.modal)) .o_form_view .o_statusbar_status " +
                "button[role=radio].o_arrow_button_current + button[role=radio].o_last",
        },
        ...refusedMoveOn(),
        ...pickRecord(".modal", "partner_id", "Marina Sopot"),
        typeIn(".modal", "expected_revenue", "48000"),
        {
            content: "the meeting was held: mark it done",
            trigger: ".modal .o_sales_fix_done",
            run: "click",
        },
        {
            content: "nothing is missing any more",
            trigger: ".modal .o_sales_fix_ready",
        },
        moveFromTheDialog(),
        ...handedTo("Tomasz Zieliński"),
    ],
});

/* The closer wins his deal (its customer passes to a farmer), then enters a
   repeat opportunity for that customer, which the farmer keeps. Starts on
   the deal's form. */
registry.category("web_tour.tours").add("sales_dept_closer_tour", {
    steps: () => [
        {
            content: "mark the deal won",
            trigger: ".o_form_view button[name=action_set_won_rainbowman]",
            run: "click",
        },
        {
            content: "the deal is won",
            trigger: ".o_form_view .o_form_saved .o_widget_web_ribbon .ribbon",
        },
        {
            content: "a new opportunity",
            trigger: ".o_control_panel .o_form_button_create",
            run: "click",
        },
        typeIn(".o_form_view", "name", "Druga dostawa pomp"),
        ...pickRecord(".o_form_view", "partner_id", "Port Gdynia"),
        {
            content: "save it",
            trigger: ".o_form_button_save:enabled",
            run: "click",
        },
        ...handedTo("Agnieszka Kamińska"),
    ],
});
