/** @odoo-module **/
/**
 * The KPI board's bar graph of the attainment draws the plan, 100%, as a
 * dashed line over the bars: Odoo's graph view has no reference line, so the
 * board's bar chart gets one more dataset, a line at 100 across every bar.
 * The graph view is loaded lazily: this file is in web.assets_backend_lazy.
 */
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { GraphRenderer } from "@web/views/graph/graph_renderer";

const BOARD_MODEL = "sales.kpi.board";

patch(GraphRenderer.prototype, {
    getBarChartData() {
        const data = super.getBarChartData(...arguments);
        const { resModel, measure } = this.model.metaData;
        if (resModel !== BOARD_MODEL || measure !== "attainment" || !data.labels?.length) {
            return data;
        }
        const planLine = {
            type: "line",
            label: _t("Plan (100%)"),
            data: data.labels.map(() => 100),
            order: -2,
            fill: false,
            borderColor: "#dc3545",
            backgroundColor: "#dc3545",
            borderDash: [6, 4],
            borderWidth: 2,
            pointRadius: 0,
            pointHitRadius: 0,
            trueLabels: data.labels,
            sdoPlanLine: true,
        };
        return { ...data, datasets: [...data.datasets, planLine] };
    },

    getTooltipItems(data, metaData, tooltipModel) {
        // the plan line is no figure of a person: not in the bars' tooltip
        const dataPoints = tooltipModel.dataPoints.filter((point) => !point.dataset?.sdoPlanLine);
        return super.getTooltipItems(data, metaData, { ...tooltipModel, dataPoints });
    },
});
