#!/usr/bin/python3
"""dkimpy peer: dkimpy_verify.py <keytable.json> <paths.txt>.

Reads all messages first, then times only the verify loop; the key lookup is a local table
passed as dnsfunc (no DNS). Prints the same JSON report as node-verify.ts.
"""
import json
import sys
import time

import dkim


def main():
    table_file, paths_file = sys.argv[1], sys.argv[2]
    with open(table_file, encoding="utf-8") as f:
        table = {k.lower(): v.encode("ascii") for k, v in json.load(f).items()}

    def dnsfunc(name, timeout=5):
        # dkimpy passes b"selector._domainkey.domain." (trailing dot).
        return table.get(name.decode("ascii").rstrip(".").lower())

    with open(paths_file, encoding="utf-8") as f:
        paths = [p for p in f.read().split("\n") if p]
    messages = []
    for p in paths:
        with open(p, "rb") as f:
            messages.append(f.read())

    # One untimed pass first, as for every peer: steady state, not start-up, is what is compared.
    for msg in messages:
        try:
            dkim.verify(msg, dnsfunc=dnsfunc)
        except Exception:
            pass

    ns = []
    passes = []
    failures = []
    loop_start = time.perf_counter_ns()
    for i, msg in enumerate(messages):
        t0 = time.perf_counter_ns()
        try:
            ok = dkim.verify(msg, dnsfunc=dnsfunc)
            reason = "verify returned False"
        except Exception as e:  # a peer error counts as a disagreement, not a crash
            ok, reason = False, repr(e)
        ns.append(time.perf_counter_ns() - t0)
        passes.append("1" if ok else "0")
        if not ok and len(failures) < 5:
            failures.append(paths[i] + ": " + reason)
    loop_seconds = (time.perf_counter_ns() - loop_start) / 1e9
    json.dump({"count": len(messages), "loopSeconds": loop_seconds, "ns": ns,
               "pass": "".join(passes), "failures": failures}, sys.stdout)


main()
