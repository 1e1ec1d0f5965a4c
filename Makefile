# The two commands a newcomer needs are `make demo` and `make test` (see README.md).
# The work is done by scripts/sdo; these targets only name it.
.PHONY: demo test test-engine lint bench bench-calendar bench-load bench-upgrade pot wheel clean odoo-update

demo:  ## serve Odoo with the demo department on http://localhost:8069
	@scripts/sdo demo

test:  ## lint, then the whole suite against a fresh database
	@scripts/sdo test

test-engine:  ## only the odoo-free tests (no Odoo, no database)
	@scripts/sdo test-engine

lint:
	@scripts/sdo lint

bench:  ## benchmarks on a generated department (BENCH=<word>, BENCH_LEADS=<n>)
	@scripts/sdo bench

bench-calendar:  ## the day-dependent benchmarks as on the 1st, 15th and last day of this month
	@scripts/sdo bench-calendar

bench-load:  ## two Odoo servers, 20 JSON-RPC sessions and the jobs at once (BENCH_LEADS, default 100000)
	@scripts/sdo bench-load

bench-upgrade:  ## the first release with generated data, upgraded to this tree and compared (BENCH_LEADS, default 100000)
	@scripts/sdo bench-upgrade

pot:  ## regenerates sales_dept_org/i18n/sales_dept_org.pot (installs the addon in <prefix>_i18n)
	@scripts/sdo i18n

wheel:
	@python3 -m pip wheel . --no-deps -w dist

odoo-update:  ## fetches the newest Odoo 18.0 into .local/odoo (ODOO_GIT_URL, ODOO_GIT_REF, ODOO_ARCHIVE_URL)
	@scripts/sdo odoo-update

clean:  ## removes the environment, the fetched Odoo and build output; databases stay
	rm -rf .venv dist build *.egg-info .local/odoo .local/odoo.lock .local/odoo-fetch.*
