"""Upgrade at scale: the addon of its first release (18.0.1.0.0) installed
with generated data, upgraded to this tree, and compared.

``make bench-upgrade`` (scripts/sdo) drives it:

1. the old tree (``git archive``) installed in ``<prefix>_upgrade`` and
   filled by that tree's own generator;
2. ``python -m bench.upgrade seed``, on the old code: monthly KPI plans of
   every team (person and team targets of every metric) until the plan
   lines reach ``--plan-lines``, and the bonus sheets of the last full months
   computed and confirmed (locked) through the old ORM;
3. ``python -m bench.upgrade snapshot`` before and after ``-u sales_dept_org``
   at this tree, timed;
4. ``python -m bench.upgrade compare``: the BENCH lines.
"""
