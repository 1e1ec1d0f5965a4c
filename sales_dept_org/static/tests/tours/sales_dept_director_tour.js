/** @odoo-module **/

import { registry } from "@web/core/registry";
import { openDepartmentMenu, pivotWithData } from "./sales_dept_tour_utils";

/* The director: the board, the funnel, the money of the day, the ABC-XYZ
   classes and the migration matrix, each open with data. */
registry.category("web_tour.tours").add("sales_dept_director_tour", {
    steps: () => [
        ...openDepartmentMenu("sales_kpi_board_menu"),
        {
            content: "the board ranks the salespeople",
            trigger: ".o_list_view .o_data_row td[name=rank]:contains('1')",
        },
        ...openDepartmentMenu("sales_funnel_report_menu"),
        pivotWithData(),
        ...openDepartmentMenu("sales_money_report_menu"),
        {
            content: "today's money per team and salesperson, no date asked",
            trigger: ".o_list_view :is(.o_group_header, .o_data_row)",
        },
        ...openDepartmentMenu("sales_abcxyz_snapshot_line_menu"),
        pivotWithData(),
        ...openDepartmentMenu("sales_abcxyz_migration_menu"),
        {
            content: "compare the two latest snapshots",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        pivotWithData(),
    ],
});
