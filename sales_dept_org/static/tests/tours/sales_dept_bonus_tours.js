/** @odoo-module **/

import { registry } from "@web/core/registry";
import { clickToDownload } from "./sales_dept_tour_utils";

/* The month's bonus sheet: a head computes and confirms it, the accountant
   exports it (the test then downloads the XLSX). Both start on the sheet. */
registry.category("web_tour.tours").add("sales_dept_bonus_confirm_tour", {
    steps: () => [
        {
            content: "compute the sheet",
            trigger: ".o_form_view button[name=action_compute]",
            run: "click",
        },
        {
            content: "confirm it",
            trigger: ".o_form_view button[name=action_confirm]",
            run: "click",
        },
        {
            content: "the sheet is confirmed",
            trigger: ".o_statusbar_status [data-value=confirmed].o_arrow_button_current",
        },
    ],
});

registry.category("web_tour.tours").add("sales_dept_bonus_export_tour", {
    steps: () => [
        {
            content: "the accountant sees the sheet's lines",
            trigger: ".o_form_view .o_field_widget[name=line_ids] .o_data_row",
        },
        ...clickToDownload("export it", ".o_form_view button[name=action_export_xlsx]"),
    ],
});
