#!/usr/bin/python3
"""Runs a generated app.py with the real Flask-Limiter; prints each request's status and body,
and the storage keys the limits were counted under.

    drive_app.py APP.py SCENARIO.json  ->  {"answers": [[status, body], ...], "keys": [sorted]}

The requests are the scenario's (as the page exports them: t, key, path, headers), sent through
Flask's test client with every clock read of the libraries at the simulated epoch + t, the way
the conformance oracle (tests/conformance/reference.py) drives Flask-Limiter.
"""

import importlib.util
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "conformance"))
from reference import install_simulated_time, silence_library_chatter  # noqa: E402


def main():
    app_file, scenario_file = sys.argv[1:]
    scenario = json.loads(pathlib.Path(scenario_file).read_text())
    epoch = scenario["epoch"]
    silence_library_chatter()
    timers = install_simulated_time(epoch)
    spec = importlib.util.spec_from_file_location("generated_app", app_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    client = module.app.test_client()
    keys = set()
    strategy = module.limiter.limiter  # limits' RateLimiter, whose hit and test get each key
    for name in ("hit", "test"):
        def recording(item, *identifiers, _call=getattr(strategy, name), **options):
            keys.add(item.key_for(*identifiers))
            return _call(item, *identifiers, **options)
        setattr(strategy, name, recording)
    statuses = []
    for request in scenario["requests"]:
        timers.advance_to(float(epoch) + request["t"])
        response = client.get(request["path"], headers=request.get("headers", {}),
                              environ_base={"REMOTE_ADDR": request["key"]})
        statuses.append([response.status_code, response.get_data(as_text=True)])
    print(json.dumps({"answers": statuses, "keys": sorted(keys)}))


if __name__ == "__main__":
    main()
