"""The daily discipline job against one SQL GROUP BY over the same leads.

The job (``sales.discipline.daily._cron_sales_discipline``) looks for newly
stuck leads, refreshes the overdue flags and writes each person's counts. It
is timed on a steady day: the leads already stuck were marked on earlier
days (set here with SQL, as the first run after install would), so the timed
run does what every following night does (the flags are brought to "now"
with one UPDATE first, see ``generate/lead_flags.py``). The baseline is the single
GROUP BY that counts the same flags per owner.
"""

from odoo.tools import SQL

from .generate import lead_flags

TARGET = 3.0


def run(bench):
    env = bench.env
    lead_flags.refresh(env)
    Daily = env["sales.discipline.daily"]

    def job():
        Daily._cron_sales_discipline()
        env.flush_all()

    def group_by():
        env.cr.execute(
            SQL(
                """SELECT user_id,
                          COUNT(*) FILTER (WHERE has_no_task),
                          COUNT(*) FILTER (WHERE has_overdue_task),
                          COUNT(*) FILTER (WHERE is_stuck)
                     FROM crm_lead
                    WHERE active AND user_id IS NOT NULL
                 GROUP BY user_id"""
            )
        )
        return env.cr.fetchall()

    people = len(group_by())
    stuck = env["crm.lead"].search_count([("is_stuck", "=", True)])
    bench.note(f"{people:,} people, {stuck:,} leads already stuck; {bench.queries(job)} queries")
    bench.report("stage_daily_job_vs_group_by", bench.compare(job, group_by, repeat=3), TARGET)
