"""The department under load on two Odoo processes (``make bench-load``).

Two servers (``--workers=4 --max-cron-threads=1`` each, loopback ports of
their own) over one benchmark database, as two hosts behind a load balancer.
Twenty JSON-RPC sessions (hunters and team heads, each with their own login
and rights, no company in the context) make fifty moves each, stage moves
and hand-offs in turn, their calls split across both servers, while the
servers' cron workers run the month's bonus sheets, the nightly KPI facts and
a digest slot made due, and a separate session runs the bonus and digest
jobs once more at the same time. See ``python -m bench.load --help``.
"""
