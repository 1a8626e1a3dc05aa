"""Runs a generated client.py against scripted answers and prints what it did, as JSON.

    python3 drive_client.py CLIENT.py STATUS:RETRY_AFTER ...

Each argument is one answer, in order (for example 429:3 200:0); the last one repeats. The
client's `requests` is a stand-in that returns them and records each call (URL and headers);
time.sleep records the waits instead of sleeping. Prints {"calls": [...], "sleeps": [...],
"status": final status}.
"""
import json
import sys
import time
import types

source, *answers = sys.argv[1:]
script = [tuple(int(part) for part in answer.split(":")) for answer in answers]
calls = []
sleeps = []


class Response:
    def __init__(self, status, retry_after):
        self.status_code = status
        self.headers = {"Retry-After": str(retry_after)}
        self.text = "ok" if status == 200 else "rate limited"


def get(url, headers=None, timeout=None):
    calls.append({"url": url, "headers": headers or {}})
    status, retry_after = script[min(len(calls), len(script)) - 1]
    return Response(status, retry_after)


sys.modules["requests"] = types.SimpleNamespace(get=get)
time.sleep = sleeps.append

namespace = {"__name__": "client"}
with open(source, encoding="utf-8") as f:
    exec(compile(f.read(), source, "exec"), namespace)
response = namespace["get"](namespace["URL"])
print(json.dumps({"calls": calls, "sleeps": sleeps, "status": response.status_code}))
