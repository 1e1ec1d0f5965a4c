"""Two Odoo servers over one database, as two hosts behind a load balancer
would run: each with its HTTP workers and a cron worker, listening on a free
loopback port of its own. They are killed when the ``with`` block ends,
whatever ends it (the load done, a failure, Ctrl-C or a SIGTERM)."""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

STARTUP_SECONDS = 180
LAUNCHER = os.path.join(os.path.dirname(__file__), "launcher.py")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url):
    request = urllib.request.Request(
        f"{url}/web/webclient/version_info",
        data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": {}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def _terminate(processes):
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    for process in processes:
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextlib.contextmanager
def two_servers(config, database, logdir, workers=4):
    """Yields ``[(url, log path)]`` of two servers once both answer."""
    processes, servers = [], []

    def stop(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        for index in range(2):
            port, log = free_port(), os.path.join(logdir, f"server{index + 1}.log")
            command = [
                sys.executable, LAUNCHER, "-c", config, "-d", database,
                f"--db-filter=^{database}$", "--no-database-list",
                f"--workers={workers}", "--max-cron-threads=1",
                "--http-interface=127.0.0.1", f"--http-port={port}",
                f"--gevent-port={free_port()}",
                "--limit-time-real=600", "--limit-time-cpu=600", "--limit-time-real-cron=0",
                f"--logfile={log}", "--log-level=info",
            ]  # fmt: skip
            # a process group of its own: its workers die with it
            processes.append(subprocess.Popen(command, start_new_session=True))
            servers.append((f"http://127.0.0.1:{port}", log))
        deadline = time.monotonic() + STARTUP_SECONDS
        waiting = list(servers)
        while waiting:
            if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                raise RuntimeError(f"the servers did not start: see {logdir}/server*.log")
            waiting = [server for server in waiting if not _answers(server[0])]
            time.sleep(1)
        yield servers
    finally:
        _terminate(processes)
        signal.signal(signal.SIGTERM, previous)
