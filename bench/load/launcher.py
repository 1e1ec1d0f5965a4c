"""Starts one Odoo server as ``odoo-bin`` does. A server with workers starts
its websocket process again from this file with ``gevent`` first: that
process only waits for its server to end, since the load sends no websocket
traffic (and gevent may lack its dependencies in a test environment)."""

import os
import sys
import time

if __name__ == "__main__":
    os.environ["TZ"] = "UTC"
    if sys.argv[1:2] == ["gevent"]:
        server = os.getppid()
        while os.getppid() == server:
            time.sleep(5)
    else:
        sys.path.remove(os.path.dirname(os.path.abspath(__file__)))  # no shadowing of modules
        import odoo

        odoo.cli.main()
