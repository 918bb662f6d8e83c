"""Load generator: concurrent keep-alive HTTP clients against a running shop.

Run as its own process by bench/run.py so the client does not share an interpreter with the
server. Prints one JSON object: requests, errors, seconds, and latency percentiles in ms.
"""

import argparse
import hashlib
import http.client
import itertools
import json
import threading
import time
import urllib.parse


def percentile(sorted_values: list[float], pct: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(pct / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


def run(
    base: str, paths: list[str], *, concurrency: int, duration: float, warmup: bool, expect: dict | None = None
) -> dict:
    """`expect`: {path: sha256 of the answer's body}; an answer of another body counts as an error."""
    url = urllib.parse.urlsplit(base)
    if warmup:  # fill the cache (when it is on) so that the measurement sees steady state
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        for path in paths:
            connection.request("GET", path)
            connection.getresponse().read()
        connection.close()
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    statuses: dict[str, int] = {}
    lock = threading.Lock()
    start_gate = threading.Barrier(concurrency + 1)
    stop_at = [0.0]

    def client(n: int) -> None:
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        cycle = itertools.islice(itertools.cycle(paths), n, None)
        # Each client keeps the cookies it is given, as a browser does: a server that starts a
        # session for a new visitor (oscar's basket) does so once per client, not per request.
        cookies: dict[str, str] = {}
        start_gate.wait()
        while time.perf_counter() < stop_at[0]:
            path = next(cycle)
            started = time.perf_counter()
            try:
                headers = {"Accept": "application/json"}
                if cookies:
                    headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                body = response.read()
                for cookie in response.headers.get_all("Set-Cookie") or []:
                    name, _, value = cookie.split(";", 1)[0].partition("=")
                    cookies[name.strip()] = value.strip()
                status = response.status
                if status == 200 and expect and hashlib.sha256(body).hexdigest() != expect[path]:
                    status = "mismatch"
            except (OSError, http.client.HTTPException):
                errors[n] += 1
                connection.close()
                connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
                continue
            latencies[n].append((time.perf_counter() - started) * 1000)
            if status != 200:
                errors[n] += 1
                with lock:
                    statuses[str(status)] = statuses.get(str(status), 0) + 1
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    stop_at[0] = began + duration
    start_gate.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    values = sorted(itertools.chain.from_iterable(latencies))
    return {
        "requests": len(values),
        "errors": sum(errors),
        "statuses": statuses,
        "seconds": round(elapsed, 3),
        "rps": round(len(values) / elapsed, 1),
        "p50": round(percentile(values, 50), 2),
        "p95": round(percentile(values, 95), 2),
        "p99": round(percentile(values, 99), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--path", action="append", required=True, help="repeat for several paths (cycled)")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--warmup", action="store_true")
    parser.add_argument("--expect", help="a JSON file of {path: sha256 of the body every answer must have}")
    args = parser.parse_args()
    expect = None
    if args.expect:
        with open(args.expect) as source:
            expect = json.load(source)
    figures = run(
        args.base, args.path, concurrency=args.concurrency, duration=args.duration, warmup=args.warmup, expect=expect
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
