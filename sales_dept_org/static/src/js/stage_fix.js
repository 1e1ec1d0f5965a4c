/** @odoo-module **/
/* A stage change the stage rules refuse for one lead opens the "fix it"
   dialog (crm.lead.action_sales_stage_fix) instead of the error: the server
   names the lead and the stage in the error's context. The status bar that
   asked for the move shows the lead's real stage again, and the lead as
   the dialog left it once closed (reloaded in place: reloading the view
   would open a blank form where the lead was created in it). A move from
   the dialog that hands the lead on closes it with the hand-off notice. */

import { RPCError } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { patch } from "@web/core/utils/patch";
import { StatusBarField } from "@web/views/fields/statusbar/statusbar_field";
import { showHandoffNotices } from "./handoff_notice";

const FIX_KEY = "sales_stage_fix";
// refused move -> the form's record whose status bar asked for it
const askedBy = new WeakMap();

function stageFix(error) {
    return error instanceof RPCError && error.data?.context?.[FIX_KEY];
}

function stageFixHandler(env, error, originalError) {
    const fix = stageFix(originalError);
    if (!fix) {
        return false;
    }
    error.unhandledRejectionEvent?.preventDefault();
    const { action, orm } = env.services;
    const record = askedBy.get(originalError);
    const onClose = (infos) => {
        const notices = infos?.sales_handoff ? [infos.sales_handoff] : [];
        if (showHandoffNotices(env.services, notices)) {
            return;
        }
        if (record) {
            record.model.load();
        } else {
            // a card dropped in another column
            action.doAction({ type: "ir.actions.client", tag: "soft_reload" });
        }
    };
    orm.call("crm.lead", "action_sales_stage_fix", [[fix.lead_id], fix.stage_id]).then(
        (fixAction) => action.doAction(fixAction, { onClose })
    );
    return true;
}

// Before the handler that shows server errors in a dialog.
registry.category("error_handlers").add("salesStageFix", stageFixHandler, { sequence: 90 });

patch(StatusBarField.prototype, {
    async selectItem(item) {
        const { name, record } = this.props;
        const untouched = !(await record.isDirty());
        const stage = record.data[name];
        try {
            return await super.selectItem(item);
        } catch (error) {
            if (stageFix(error)) {
                askedBy.set(error, record);
                if (untouched) {
                    await record.discard();
                } else {
                    await record.update({ [name]: stage });
                }
            }
            throw error;
        }
    },
});
