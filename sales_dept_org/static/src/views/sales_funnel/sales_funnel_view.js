/** @odoo-module **/
/* The funnel report drawn as a funnel: one bar per stage, in the pipeline's
   order, as wide as the leads that reached it, with the conversion from the
   stage before. It is the graph view with its data narrowed to what a funnel
   needs: the stages first, then at most one cut from the Group By menu
   (new or existing customer, channel, manager, team, region...), which draws
   one funnel per value. Filters and the period apply as in any view. */

import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { getGroupBy } from "@web/search/utils/group_by";
import { formatFloat, formatInteger } from "@web/views/fields/formatters";
import { graphView } from "@web/views/graph/graph_view";
import { GraphModel } from "@web/views/graph/graph_model";

export class SalesFunnelModel extends GraphModel {
    _buildMetaData(params) {
        const metaData = super._buildMetaData(params);
        const cut = metaData.groupBy.find((groupBy) => groupBy.fieldName !== "stage_id");
        const stage = getGroupBy("stage_id", metaData.fields);
        metaData.groupBy = cut ? [stage, cut] : [stage];
        metaData.measure = "reached";
        metaData.mode = "bar";
        // the pipeline's order (the stages' sequence), never by size
        metaData.order = null;
        return metaData;
    }
}

/** {stage, reached, width, conversion} rows of one funnel: ``conversion``
 * is the share (%) of the previous stage's leads that reached this one. */
export function funnelRows(stages, values) {
    const widest = Math.max(0, ...values.map((value) => value || 0));
    return stages.map((stage, index) => {
        const reached = values[index] || 0;
        const before = index ? values[index - 1] || 0 : null;
        return {
            stage,
            reached,
            width: widest ? Math.max((100 * reached) / widest, 1) : 0,
            conversion: before ? (100 * reached) / before : null,
        };
    });
}

export class SalesFunnelRenderer extends Component {
    static template = "sales_dept_org.SalesFunnelRenderer";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
    }

    get openTitle() {
        return _t("Open the leads");
    }

    get funnels() {
        const { datasets, labels } = this.props.model.data;
        return datasets.map((dataset) => ({
            label: datasets.length > 1 ? dataset.label : "",
            rows: funnelRows(labels, dataset.data).map((row, index) => ({
                ...row,
                domain: dataset.domains[index],
                reachedText: formatInteger(row.reached),
                conversionText:
                    row.conversion === null
                        ? ""
                        : _t("%(percent)s of the stage before", {
                              percent: `${formatFloat(row.conversion, { digits: [16, 1] })}%`,
                          }),
            })),
        }));
    }

    /** Opens the leads behind a bar (an empty bar has none, and no domain). */
    async openLeads(funnel, row) {
        if (!row.reached) {
            return;
        }
        const label = [row.stage, funnel.label].filter(Boolean).join(" · ");
        const action = await this.orm.call("sales.funnel.report", "action_open_leads", [
            row.domain,
            label,
        ]);
        await this.action.doAction(action);
    }
}

registry.category("views").add("sales_funnel_graph", {
    ...graphView,
    Model: SalesFunnelModel,
    Renderer: SalesFunnelRenderer,
});
