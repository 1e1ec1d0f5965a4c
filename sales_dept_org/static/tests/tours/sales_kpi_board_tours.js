/** @odoo-module **/

import { registry } from "@web/core/registry";

/* The board as its people read it. The steps find rows by the person's name,
   metrics by their code and figures by their period, never by a label: the
   same tours run in Polish and in English. Each starts on the board. */

const ROW = (person) => `.o_list_view .o_data_row:contains('${person}')`;

/** Clicks ``person``'s fact of ``metric`` in ``period``; lands on its records. */
function openFact(person, metric, period) {
    return [
        {
            content: `${person}'s ${metric} of the ${period}`,
            trigger: `${ROW(person)} td[data-metric=${metric}][data-period=${period}] a.o_sales_kpi_fact`,
            run: "click",
        },
        {
            content: "the records behind the figure, not the row's form",
            trigger: `.o_breadcrumb .active:contains('${person}')`,
        },
        {
            content: "no form of the board opened",
            trigger: "body:not(:has(.o_form_view .o_field_widget[name=attainment]))",
        },
    ];
}

const backToBoard = {
    content: "back to the board",
    trigger: ".o_breadcrumb .breadcrumb-item:first-child a",
    run: "click",
};

/* The director: the teams' rows, ranked, the Darwin weight, a fact opened,
   the bar graph best first with the plan line, a person's card. */
registry.category("web_tour.tours").add("sales_kpi_board_director_tour", {
    steps: () => [
        {
            content: "one row per person under each team",
            trigger: ".o_list_view .o_group_header + .o_data_row td[name=rank]:contains('1')",
        },
        {
            content: "the Darwin team shows each weight and why",
            trigger: ".o_list_view .o_data_row td[name=sales_weight_reason]:contains('%')",
        },
        {
            content: "the bars are coloured against the pace",
            trigger: ".o_list_view .o_sales_kpi_board [data-pace] .progress-bar",
        },
        ...openFact("Jan Wójcik", "calls_made", "month"),
        backToBoard,
        {
            content: "the graph",
            trigger: ".o_switch_view.o_graph",
            run: "click",
        },
        {
            content: "a chart is drawn",
            trigger: ".o_graph_renderer canvas",
        },
        {
            content: "the list again",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "open a person's card",
            trigger: `${ROW("Jan Wójcik")} td[name=user_id]`,
            run: "click",
        },
        {
            content: "the breadcrumb names the person",
            trigger: ".o_breadcrumb .active:contains('Jan Wójcik')",
        },
    ],
});

/* The head of North: the team's rows with the money, a payment opened. */
registry.category("web_tour.tours").add("sales_kpi_board_head_tour", {
    steps: () => [
        {
            content: "the team's money of the day is shown",
            trigger: ".o_list_view .o_data_row td[name=money_fact_today]:not(:empty)",
        },
        ...openFact("Jan Wójcik", "calls_made", "week"),
        backToBoard,
        {
            content: "the board again",
            trigger: ".o_list_view .o_sales_kpi_board",
        },
    ],
});

/* A salesperson: their own row among the team's, their calls opened. */
registry.category("web_tour.tours").add("sales_kpi_board_salesperson_tour", {
    steps: () => [
        {
            content: "the hunter sees the team's ranking",
            trigger: ".o_list_view .o_data_row td[name=rank]:contains('1')",
        },
        ...openFact("Jan Wójcik", "calls_made", "month"),
        {
            content: "the calls opened are listed",
            trigger: ".o_list_view",
        },
    ],
});
