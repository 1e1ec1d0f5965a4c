"""A JSON-RPC client as the web client talks to Odoo: each person logs in
once (``/web/session/authenticate``) and sends every call with that
session's cookie (``/web/dataset/call_kw``), so every call runs with that
user's rights and no company in its context.

Not the external API's ``execute_kw``, which sends the password with every
call: each Odoo process checks it on its first call (PBKDF2, 600,000 rounds,
about 0.8 s of CPU here), so 20 people over 8 workers would time 160
password checks instead of their stage moves."""

import itertools
import json
import time
import urllib.request
from http.cookies import SimpleCookie

_ids = itertools.count()


class Fault(Exception):
    pass


def call(url, path, params, cookie=None, timeout=600):
    """``(result, response headers)`` of one JSON-RPC call to ``url + path``."""
    payload = {"jsonrpc": "2.0", "method": "call", "params": params, "id": next(_ids)}
    headers = {"Content-Type": "application/json"}
    if cookie:
        headers["Cookie"] = cookie
    request = urllib.request.Request(url + path, data=json.dumps(payload).encode(), headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        answer, response_headers = json.loads(response.read()), response.headers
    if "error" in answer:
        error = answer["error"]
        raise Fault(error.get("data", {}).get("message") or error.get("message"))
    return answer["result"], response_headers


class Session:
    """One person's session; ``urls`` are the servers, taken in turn as a
    round-robin load balancer would send the calls (the servers share the
    session store: one data directory, as hosts behind a balancer share
    theirs)."""

    def __init__(self, urls, database, login, password):
        self.urls = urls
        self._turn = itertools.count()
        result, headers = call(
            urls[0],
            "/web/session/authenticate",
            {"db": database, "login": login, "password": password},
        )
        cookies = SimpleCookie()
        for header in headers.get_all("Set-Cookie") or []:
            cookies.load(header)
        if not result.get("uid") or "session_id" not in cookies:
            raise Fault(f"{login} cannot log in")
        self.uid = result["uid"]
        self.cookie = f"session_id={cookies['session_id'].value}"

    def execute(self, model, method, *args, **kwargs):
        """``(result, seconds, server index)``."""
        server = next(self._turn) % len(self.urls)
        params = {"model": model, "method": method, "args": list(args), "kwargs": kwargs}
        start = time.perf_counter()
        try:
            result, _headers = call(
                self.urls[server], f"/web/dataset/call_kw/{model}/{method}", params, self.cookie
            )
        except (Fault, OSError) as error:
            error.server = server
            raise
        return result, time.perf_counter() - start, server
