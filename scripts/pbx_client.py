"""One phone-system event posted to ``/sales_dept_org/call``, as a PBX
posts it: the standard library only, for ``scripts/pbx_send.py`` (the
sample events); ``bench/call_load.py`` (the load) sends to the same
``PATH`` from one asyncio loop."""

import json
import time
import urllib.error
import urllib.request

PATH = "/sales_dept_org/call"


def post(url, token, event, timeout=30):
    """``(status, answer, seconds)`` of one event: the HTTP status (None when
    no answer came: refused, reset or timed out), the JSON answer ({} when
    there is none) and the time it took."""
    request = urllib.request.Request(
        url.rstrip("/") + PATH,
        data=json.dumps(event).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        method="POST",
    )
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    except OSError:
        status, raw = None, b""
    seconds = time.perf_counter() - start
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        answer = {}
    return status, answer, seconds
