/** @odoo-module **/
/**
 * The KPI board's figures in the browser: the plan and fact table of a row
 * (``sales.kpi.board.metrics_html``), where each fact is a link; a click
 * opens the records behind it through the row's
 * ``action_open_facts(metric_id, period)``, without opening the row.
 * The graph's 100% line: ``static/src/views/kpi_board_graph.js``.
 */
import { Component, markup, xml } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

export const BOARD_MODEL = "sales.kpi.board";

export class KpiBoardFigures extends Component {
    // a row wider than its cell scrolls sideways instead of being cut off
    static template = xml`<div class="o_sales_kpi_board_figures overflow-x-auto" t-on-click="onClick" t-out="html"/>`;
    static props = { ...standardFieldProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
    }

    get html() {
        return markup(this.props.record.data[this.props.name] || "");
    }

    async onClick(ev) {
        const link = ev.target.closest("a.o_sales_kpi_fact");
        if (!link) {
            return;
        }
        ev.preventDefault();
        ev.stopPropagation();
        const action = await this.orm.call(BOARD_MODEL, "action_open_facts", [
            [this.props.record.resId],
            parseInt(link.dataset.metricId),
            link.dataset.period,
        ]);
        await this.action.doAction(action);
    }
}

registry.category("fields").add("sales_kpi_board_figures", {
    component: KpiBoardFigures,
    displayName: _t("KPI board figures"),
    supportedTypes: ["html"],
});
