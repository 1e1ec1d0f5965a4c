/** @odoo-module **/

import { registry } from "@web/core/registry";
import { pickRecord } from "./sales_dept_tour_utils";

/* A head without HR rights marks a person of his team trainee on the
   (public) employee form, with a mentor, and finds the adaptation plan
   started: the day on the form and his own step in his activities (the
   trainee's and the mentor's steps are checked by the test). Widgets
   are found by field name and buttons by class or method, not by label. */
registry.category("web_tour.tours").add("sales_dept_trainee_tour", {
    steps: () => [
        {
            content: "mark the employee trainee",
            trigger: ".o_form_view .o_form_statusbar button.o_sales_mark_trainee",
            run: "click",
        },
        ...pickRecord(".modal .o_form_view", "mentor_id", "Tomasz Zieliński"),
        {
            content: "save",
            trigger: ".modal-footer button[name=action_apply]",
            run: "click",
        },
        {
            content: "the form shows the day the adaptation plan started",
            trigger: "body:not(:has(.modal)) .o_field_widget[name=adaptation_started_on]:not(:empty)",
        },
        {
            content: "the mentor is on the form",
            trigger:
                ".o_form_view .o_field_widget[name=mentor_id]:contains('Tomasz Zieliński')",
        },
        {
            content: "the button now changes the mentor",
            trigger: ".o_form_view .o_form_statusbar button.o_sales_change_trainee",
        },
        {
            content: "open the activities",
            trigger: ".o_menu_systray .dropdown-toggle:has(.fa-clock-o)",
            run: "click",
        },
        {
            // without HR rights, an employee's activities are listed as other activities
            content: "the head's step of the plan, the adaptation test, is among his activities",
            trigger: ".o-mail-ActivityMenu .o-mail-ActivityGroup[data-model_name='mail.activity']",
        },
    ],
});
