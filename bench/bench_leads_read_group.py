"""Calibration: crm.lead ``_read_group`` by owner and stage vs hand-written SQL.

The ORM's grouped read should cost little more than the SQL it generates; a
ratio far above the target means the runner, the data or the database
statistics are off, so this benchmark proves the whole chain end to end.
"""

from odoo.tools import SQL

TARGET = 1.5


def run(bench):
    leads = bench.env["crm.lead"]

    def orm():
        return leads._read_group([], ["user_id", "stage_id"], ["__count", "expected_revenue:sum"])

    def sql():
        bench.env.cr.execute(
            SQL(
                """SELECT user_id, stage_id, count(*), sum(expected_revenue)
                     FROM crm_lead
                    WHERE active
                    GROUP BY user_id, stage_id
                    ORDER BY user_id, stage_id"""
            )
        )
        return bench.env.cr.fetchall()

    groups = orm()
    if len(groups) != len(sql()):
        raise AssertionError("the ORM and the SQL baseline group differently")
    bench.note(f"{len(groups):,} groups, {bench.queries(orm)} query(ies) per ORM call")
    bench.report("leads_read_group", bench.compare(orm, sql, repeat=7), TARGET)
