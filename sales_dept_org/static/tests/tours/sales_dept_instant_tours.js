/** @odoo-module **/

import { registry } from "@web/core/registry";
import { clickToDownload, pickRecord, typeIn } from "./sales_dept_tour_utils";

/* Same-day money. The head grants an instant bonus and approves it; the
   accountant marks it paid and downloads the file of what was approved
   today. Steps find widgets by field name and menus by XML id: the same
   tours run in Polish and in English. */
registry.category("web_tour.tours").add("sales_dept_instant_approve_tour", {
    steps: () => [
        ...pickRecord(".o_form_view", "employee_id", "Jan Wójcik"),
        typeIn(".o_form_view", "amount", "200"),
        typeIn(".o_form_view", "reason", "Premia z trasy"),
        {
            content: "approve it (the form saves first)",
            trigger: ".o_form_view button[name=action_approve]",
            run: "click",
        },
        {
            content: "the bonus is approved",
            trigger: ".o_statusbar_status [data-value=approved].o_arrow_button_current",
        },
    ],
});

registry.category("web_tour.tours").add("sales_dept_instant_pay_tour", {
    steps: () => [
        {
            content: "open the approved bonus waiting to be paid",
            trigger: ".o_list_view .o_data_row:contains('Premia z trasy') td[name=reason]",
            run: "click",
        },
        {
            content: "mark it paid",
            trigger: ".o_form_view button[name=action_mark_paid]",
            run: "click",
        },
        {
            content: "the bonus is paid",
            trigger: ".o_statusbar_status [data-value=paid].o_arrow_button_current",
        },
        ...clickToDownload(
            "download what was approved today",
            ".o_menu_sections [data-menu-xmlid='sales_dept_org.sales_bonus_instant_menu_export_today']"
        ),
    ],
});
