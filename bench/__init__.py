"""Benchmark data generator and runner for sales_dept_org (see README.md)."""
