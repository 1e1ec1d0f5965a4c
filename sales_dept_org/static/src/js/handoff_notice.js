/** @odoo-module **/
/**
 * The notice of a hand-off. A lead saved from its form or dropped in another
 * kanban column may go to someone else (the stage is worked by another
 * role): the server answers the save with a notice naming the new owner and
 * why (crm_lead_handoff_notice.py). The notice is shown and, when the lead
 * left the user's hands, the user returns to their pipeline.
 */
import { markRaw } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { rpcBus } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { patch } from "@web/core/utils/patch";
import { Record } from "@web/model/relational_model/record";

export const PIPELINE_ACTION = "crm.action_your_pipeline";

/** The hand-off notices of a JSON-RPC answer: those of a saved lead. */
export function handoffNotices({ data, result }) {
    const { model, method } = data.params || {};
    if (model !== "crm.lead" || method !== "web_save" || !Array.isArray(result)) {
        return [];
    }
    return result.map((row) => row.sales_handoff).filter(Boolean);
}

/**
 * Shows hand-off notices; when a lead left the user's hands, returns them to
 * their pipeline (from a form) or reloads the view. True when it does.
 */
export function showHandoffNotices({ action, notification }, notices) {
    for (const notice of notices) {
        notification.add(notice.message, { title: notice.title, type: "info" });
    }
    const leave = notices.some((notice) => notice.leave);
    if (leave) {
        // once the save that asked has finished
        browser.setTimeout(() => {
            const onForm = action.currentController?.view?.type === "form";
            action.doAction(
                onForm ? PIPELINE_ACTION : "soft_reload",
                onForm ? { clearBreadcrumbs: true } : {}
            );
        });
    }
    return leave;
}

export const salesHandoffNoticeService = {
    dependencies: ["action", "notification"],
    start(env, services) {
        rpcBus.addEventListener("RPC:RESPONSE", (ev) => {
            showHandoffNotices(services, handoffNotices(ev.detail));
        });
    },
};

registry.category("services").add("sales_handoff_notice", salesHandoffNoticeService);

patch(Record.prototype, {
    _setData(data) {
        if (data?.sales_handoff?.gone) {
            // The answer holds no values of a lead out of reach: keep those
            // the user saw and saved, until the view is left.
            this._values = markRaw({ ...this._values, ...this._changes });
            this._changes = markRaw({});
            this.data = { ...this._values };
            this.dirty = false;
            return;
        }
        return super._setData(...arguments);
    },
});
