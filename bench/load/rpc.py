"""A JSON-RPC client as an integrator writes one: the external API
(``/jsonrpc``, ``execute_kw``) with a user's login and password, so every
call runs with that user's rights and no company in its context."""

import itertools
import json
import time
import urllib.request

_ids = itertools.count()


class Fault(Exception):
    pass


def call(url, service, method, *args, timeout=600):
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "params": {"service": service, "method": method, "args": args},
        "id": next(_ids),
    }
    request = urllib.request.Request(
        f"{url}/jsonrpc",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        answer = json.loads(response.read())
    if "error" in answer:
        error = answer["error"]
        raise Fault(error.get("data", {}).get("message") or error.get("message"))
    return answer["result"]


class Session:
    """One person's session; ``urls`` are the servers, taken in turn as a
    round-robin load balancer would send the calls."""

    def __init__(self, urls, database, login, password):
        self.urls, self.database, self.password = urls, database, password
        self._turn = itertools.count()
        self.uid = call(urls[0], "common", "login", database, login, password)
        if not self.uid:
            raise Fault(f"{login} cannot log in")

    def execute(self, model, method, *args, **kwargs):
        """``(result, seconds, server index)``."""
        server = next(self._turn) % len(self.urls)
        start = time.perf_counter()
        try:
            result = call(
                self.urls[server], "object", "execute_kw",
                self.database, self.uid, self.password, model, method, list(args), kwargs,
            )  # fmt: skip
        except (Fault, OSError) as error:
            error.server = server
            raise
        return result, time.perf_counter() - start, server
