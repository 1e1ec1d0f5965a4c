/** @odoo-module **/
/* Steps the persona tours share. They find menus by their XML id and
   widgets by their field name, never by a label: the same tour runs in
   Polish and in English. */

import { rpcBus } from "@web/core/network/rpc";

/** Opens a menu of the Sales Department dropdown in the CRM app. */
export function openDepartmentMenu(menuXmlid) {
    return [
        {
            content: "open the Sales Department menu",
            trigger: ".o_menu_sections [data-menu-xmlid='sales_dept_org.sales_dept_menu_root']",
            run: "click",
        },
        {
            content: `open ${menuXmlid}`,
            trigger: `.dropdown-item[data-menu-xmlid='sales_dept_org.${menuXmlid}']`,
            run: "click",
        },
    ];
}

/** Waits for a pivot holding at least one figure other than zero. */
export function pivotWithData() {
    return {
        content: "the pivot shows figures",
        trigger: ".o_pivot .o_pivot_cell_value:not(:contains('0.00')):not(:empty)",
    };
}

/** Types ``value`` into the field ``name`` inside ``scope`` (a form, a dialog, a list row). */
export function typeIn(scope, name, value) {
    return {
        content: `fill ${name}`,
        trigger: `${scope} .o_field_widget[name=${name}] :is(input, textarea)`,
        run: `edit ${value}`,
    };
}

/** Picks the record named ``text`` in the many2one ``name`` inside ``scope``. */
export function pickRecord(scope, name, text) {
    return [
        typeIn(scope, name, text),
        {
            content: `pick ${text}`,
            trigger: `.o-autocomplete--dropdown-item > a:contains('${text}')`,
            run: "click",
        },
    ];
}

/** Clicks what makes a file, then waits for the server's answer, the
    download: a tour that ended on the click would let the browser stop
    before the request reached the server, and no file would be made. */
export function clickToDownload(content, trigger) {
    return [
        {
            content: "watch for the answer that downloads the file",
            trigger: "body",
            run() {
                const onResponse = ({ detail }) => {
                    if (detail.result?.type === "ir.actions.act_url") {
                        rpcBus.removeEventListener("RPC:RESPONSE", onResponse);
                        document.body.dataset.salesDeptDownload = detail.result.url;
                    }
                };
                rpcBus.addEventListener("RPC:RESPONSE", onResponse);
            },
        },
        { content, trigger, run: "click" },
        { content: "the file is made", trigger: "body[data-sales-dept-download]" },
    ];
}
