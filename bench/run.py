"""`make bench`: the site at the scale of the full record, measured against references run
side by side, on PostgreSQL. Writes bench/results.md.

For each scale (BENCH_SCALES, default "100k,1m"; "seed" is measured too, for page sizes) a
PostgreSQL database is filled once by `generate_scale_data` (kept between runs; the same
arguments always give the same rows) and served by gunicorn as `make serve` serves it. Then:

- exports: the site's CSV against psql's `\\copy` of a SELECT giving the same cells
  (bench/sql.py), interleaved, the median of BENCH_RUNS runs; the serving worker's peak
  memory over its idle size; whether the file arrived whole;
- pages: requests per second with wrk against /bench/hello, a view touching no database,
  in the same run, interleaved in rounds; a page's ratio is the median over the rounds of
  its rate against the hello-world rate of its own round;
- page bytes and query counts at every scale;
- a load run: 8 clients for 60 s over a mix of public URLs: errors, p50, p99;
- `load_seed` on a copy of the scale's database (a first load, then again) against the
  same on an empty database: its time and memory do not grow with other rows;
- query plans: EXPLAIN ANALYZE of every query of every public page (bench/explain.py): no
  sort of the whole table, nothing spilled to disk.

Timings are never tests: the suite runs on shared machines. Goals are the issue's.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
SCALES = {"seed": None, "10k": (50, 200), "100k": (500, 200), "1m": (5000, 200)}
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/0")
KEY = "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"


def log(message):
    print(f"[{datetime.datetime.now():%H:%M:%S}] {message}", flush=True)


def env(database_url, **extra):
    values = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    values.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database_url,
        SECRET_KEY=KEY,
        ALLOWED_HOSTS="127.0.0.1,testserver",
        DATABASE_STATEMENT_TIMEOUT="0",
    )
    values.update(extra)
    return values


def manage(database_url, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env(database_url), check=True
    )


def ensure_wrk():
    if shutil.which("wrk"):
        return
    log("installing wrk (Debian package)")
    install = ["apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-qq", "wrk"]
    if subprocess.run(install, capture_output=True).returncode:
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(install, check=True, capture_output=True)


def psql(database, *args, capture=True):
    return subprocess.run(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", f"{PG}/{database}", *args],
        capture_output=capture,
        text=True,
        check=True,
    )


def fingerprint(scale):
    """What a kept database was made from: the scale and the generator. New migrations are
    applied to a kept database rather than making it anew."""
    digest = hashlib.sha256((ROOT / "treaties" / "scale.py").read_bytes())
    return f"{scale}:{digest.hexdigest()[:16]}"


def prepare(scale):
    """The database of a scale, filled once and kept while its fingerprint holds."""
    name = f"treaty_tracker_bench_{scale}"
    url = f"{PG}/{name}"
    exists = psql("postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
    if exists.stdout.strip() == "1":
        try:
            done = psql(name, "-tAc", "SELECT value FROM bench_marker").stdout.strip()
        except subprocess.CalledProcessError:
            done = ""
        if done == fingerprint(scale):
            log(f"{scale}: reusing {name}")
            manage(url, "migrate", "--no-input", "-v0")
            psql(name, "-c", "VACUUM (ANALYZE)")
            return url
        psql("postgres", "-c", f'DROP DATABASE "{name}"')
    psql("postgres", "-c", f'CREATE DATABASE "{name}"')
    log(f"{scale}: migrating {name}")
    manage(url, "migrate", "--no-input", "-v0")
    started = time.monotonic()
    if SCALES[scale] is None:
        manage(url, "load_seed", "-v0")
    else:
        treaties, countries = SCALES[scale]
        log(f"{scale}: generating {treaties} × {countries} participations")
        manage(
            url, "generate_scale_data", "--treaties", str(treaties), "--countries", str(countries)
        )
    # As autovacuum leaves a table after a bulk load (this machine kind runs without it):
    # statistics, and a visibility map that lets counts read an index alone.
    psql(name, "-c", "VACUUM (ANALYZE)")
    psql(
        name,
        "-c",
        "CREATE TABLE bench_marker (value text); "
        f"INSERT INTO bench_marker VALUES ('{fingerprint(scale)}')",
    )
    log(f"{scale}: ready in {time.monotonic() - started:.0f} s")
    return url


class Server:
    """gunicorn with the repository's configuration, in production mode."""

    def __init__(self, database_url, static_root, port=8765, cache=False):
        """`cache`: the page cache on, in Redis, as production runs; off, every page is
        rendered (cold)."""
        self.url = f"http://127.0.0.1:{port}"
        self.env = env(
            database_url,
            DJANGO_PRODUCTION="True",
            SECURE_SSL_REDIRECT="False",
            STATIC_ROOT=static_root,
            BIND=f"127.0.0.1:{port}",
            LOG_LEVEL="WARNING",
            PAGE_CACHE=str(cache),
            CACHE_URL=REDIS if cache else "",
            CACHE_KEY_PREFIX=f"bench-{os.getpid()}-{time.monotonic_ns()}",
        )
        self.env.pop("DATABASE_STATEMENT_TIMEOUT")

    def __enter__(self):
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "--config",
                "config/gunicorn.conf.py",
                "--access-logfile",
                "/dev/null",
                "config.wsgi",
            ],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        return self

    def workers(self):
        out = subprocess.run(
            ["ps", "--ppid", str(self.process.pid), "-o", "pid="], capture_output=True, text=True
        ).stdout
        return [int(pid) for pid in out.split()]

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=60)


def rss_kib(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def download(url, pids):
    """Seconds, bytes and lines of a streamed download; the serving worker's peak growth."""
    idle = {pid: rss_kib(pid) for pid in pids}
    peak = dict(idle)
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            for pid in pids:
                peak[pid] = max(peak[pid], rss_kib(pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.monotonic()
    size = lines = 0
    complete = True
    try:
        with urllib.request.urlopen(url, timeout=600) as response:
            while chunk := response.read(1 << 16):
                size += len(chunk)
                lines += chunk.count(b"\n")
    except Exception as error:  # a cut-off stream: recorded, not fatal to the bench
        complete = False
        log(f"download of {url} failed: {error!r}")
    seconds = time.monotonic() - started
    stop.set()
    sampler.join()
    growth = max((peak[pid] - idle[pid]) for pid in pids) / 1024
    return {
        "seconds": seconds,
        "bytes": size,
        "lines": lines,
        "complete": complete,
        "rss_mb": growth,
    }


def copy(database_url, sql, out):
    started = time.monotonic()
    query = " ".join(sql.split())
    subprocess.run(
        [
            "psql",
            "-X",
            "-q",
            database_url,
            "-c",
            f"\\copy ({query}) TO '{out}' WITH (FORMAT csv, HEADER)",
        ],
        check=True,
    )
    return time.monotonic() - started


def wrk(url, seconds=10, connections=4, threads=2, script=None):
    command = [
        "wrk",
        "--latency",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
    ]
    if script:
        command += ["-s", script]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)

    def latency(pct):
        match = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)\b", out)
        if not match:
            return None
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    return {
        "rps": rps,
        "errors": (sum(int(n) for n in errors.groups()) if errors else 0)
        + (int(non_2xx.group(1)) if non_2xx else 0),
        "p50_ms": latency(50),
        "p99_ms": latency(99),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
    }


def page_rounds(server, targets, args, what):
    """{label: requests per second in each round}: every target once a round, in turn, at
    least 3 rounds (a median then passes over one run the machine slowed)."""
    rps = {label: [] for label in targets}
    for run in range(max((args.runs + 1) // 2, 3)):
        for label, path in targets.items():
            rps[label].append(wrk(server.url + path, seconds=args.wrk_seconds)["rps"])
        log(f"{what} run {run + 1}: " + ", ".join(f"{k} {v[-1]:.0f}/s" for k, v in rps.items()))
    return rps


def paired_ratio(rps, label):
    """The median over rounds of a page's rate against the hello-world rate of its round."""
    hello = rps["hello-world (reference)"]
    return statistics.median(page / ref for page, ref in zip(rps[label], hello, strict=True))


def median_stats(values):
    return statistics.median(values), min(values), max(values)


def fmt(values, unit):
    med, low, high = median_stats(values)
    return f"{med:.3g} {unit} ({low:.3g}–{high:.3g})"


def page_stats(database_url, paths):
    out = subprocess.run(
        [sys.executable, "-m", "bench.pagestats", *paths],
        cwd=ROOT,
        env=env(database_url),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def plans(database_url):
    """bench/explain.py on every public page: [(label, path, met, summary)]."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.explain", "--json"],
        cwd=ROOT,
        env=env(database_url),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        (page["label"], page["path"], page["met"], page["summary"])
        for page in json.loads(out.strip().splitlines()[-1])
    ]


# Runs `manage.py load_seed` and reports its peak memory (KiB) on stderr's last line.
LOAD_SEED = (
    "import resource, runpy, sys; sys.argv = ['manage.py', 'load_seed', '-v0']; "
    "runpy.run_path('manage.py', run_name='__main__'); "
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)"
)


def load_seed(database_url):
    """Seconds and peak MB of one `load_seed`."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", LOAD_SEED],
        cwd=ROOT,
        env=env(database_url),
        capture_output=True,
        text=True,
        check=True,
    )
    return time.monotonic() - started, int(done.stderr.strip().splitlines()[-1]) / 1024


def empty_database():
    """A migrated database with no rows, kept as the template of the first-load reference."""
    name = "treaty_tracker_bench_empty"
    exists = psql("postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
    if exists.stdout.strip() != "1":
        psql("postgres", "-c", f'CREATE DATABASE "{name}"')
    manage(f"{PG}/{name}", "migrate", "--no-input", "-v0")
    return name


def seed_loads(scale, runs):
    """`load_seed` on a copy of the scale's database, first load and again, against the same
    on an empty database, interleaved: {(step, side): [(seconds, MB)]}."""
    template = {"ours": f"treaty_tracker_bench_{scale}", "ref": empty_database()}
    found = {}
    for run in range(runs):
        for side in ("ref", "ours") if run % 2 == 0 else ("ours", "ref"):
            scratch = f"treaty_tracker_bench_scratch_{side}"
            psql("postgres", "-c", f'DROP DATABASE IF EXISTS "{scratch}"')
            psql("postgres", "-c", f'CREATE DATABASE "{scratch}" TEMPLATE "{template[side]}"')
            try:
                for step in ("first load", "loaded again"):
                    found.setdefault((step, side), []).append(load_seed(f"{PG}/{scratch}"))
            finally:
                psql("postgres", "-c", f'DROP DATABASE IF EXISTS "{scratch}"')
        log(
            f"{scale} load_seed run {run + 1}: "
            + ", ".join(f"{step} {side} {v[-1][0]:.1f} s" for (step, side), v in found.items())
        )
    return found


# A page may be at most RATIO times its size at seed scale, as
# tests/portal/test_page_sizes_at_scale.py holds it; a list the seed fills only in part
# (8 treaties, where a page shows 50 rows or 10 matrix columns) FILLING_RATIO times.
RATIO = 3
FILLING_RATIO = 5
FILLING = {"treaty list", "country page (US)", "participations matrix (10 treaties a page)"}


def pages_for(scale):
    if SCALES[scale] is None:
        treaty, source = "/treaties/ctbt/", "/sources/1/"
    else:
        treaty, source = "/treaties/scale-00001/", "/sources/1/"
    return {
        "dashboard": "/",
        "treaty page (200 participations)": treaty,
        "participations list": "/participations/",
        # The last page the list shows (core.paging caps the depth).
        "participations list, last page": "/participations/?page=last",
        "participations matrix (10 treaties a page)": "/participations/?view=matrix",
        "treaty list": "/treaties/",
        "country list": "/countries/",
        "country page (US)": "/countries/us/",
        "source page": source,
        "search": "/search/?q=treaty",
        # About the least a public page costs rendered: the site's layout, a filter form and
        # two queries (the generated data holds no people, so at 100k and 1m the list is
        # empty; the seed's is short). It shows how far below hello-world any rendered page
        # stays, the treaty page's goal among them.
        "people list (the lightest rendered page)": "/people/",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default=os.environ.get("BENCH_SCALES", "100k,1m"))
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "5")))
    parser.add_argument(
        "--wrk-seconds", type=int, default=int(os.environ.get("BENCH_WRK_SECONDS", "10"))
    )
    parser.add_argument(
        "--load-seconds", type=int, default=int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
    )
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.md"))
    args = parser.parse_args()
    scales = [s.strip() for s in args.scales.split(",") if s.strip()]
    unknown = set(scales) - set(SCALES)
    if unknown:
        parser.error(f"unknown scales {sorted(unknown)}; known: {sorted(SCALES)}")
    ensure_wrk()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from bench import sql

    rows = []  # (what, reference, ours, ratio, goal, met)
    sizes = {}
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env(f"{PG}/postgres", DJANGO_PRODUCTION="True", STATIC_ROOT=static_root),
        check=True,
    )
    for scale in ["seed", *[s for s in scales if s != "seed"]]:
        url = prepare(scale)
        paths = pages_for(scale)
        sizes[scale] = {label: page_stats(url, [path])[path] for label, path in paths.items()}
        if scale == "seed":
            continue
        log(f"{scale}: query plans of the public pages")
        for label, path, met, found in plans(url):
            rows.append(
                (
                    f"plan: {label} `{path}` ({scale})",
                    "—",
                    found,
                    "—",
                    "no full sort, no disk spill",
                    met,
                )
            )
        with Server(url, static_root) as server:
            pids = server.workers()
            for name, path, query in [
                ("participations", "/participations/export.csv", sql.participations()),
                ("acts", "/actions/export.csv", sql.actions()),
            ]:
                rows_in_db = int(
                    psql(url.rsplit("/", 1)[1], "-tAc", f"SELECT count(*) FROM ({query}) q").stdout
                )
                ref, ours, memory, whole = [], [], [], True
                with tempfile.TemporaryDirectory() as tmp:
                    for run in range(args.runs):
                        steps = ["ref", "ours"] if run % 2 == 0 else ["ours", "ref"]
                        for step in steps:
                            if step == "ref":
                                ref.append(copy(url, query, f"{tmp}/ref.csv"))
                            else:
                                result = download(server.url + path, pids)
                                ours.append(result["seconds"])
                                memory.append(result["rss_mb"])
                                whole &= result["complete"] and result["lines"] >= rows_in_db + 1
                        log(
                            f"{scale} {name} export run {run + 1}: "
                            f"ref {ref[-1]:.2f} s, ours {ours[-1]:.2f} s"
                        )
                ratio = statistics.median(ours) / statistics.median(ref)
                rows.append(
                    (
                        f"{name} export, {rows_in_db:,} rows ({scale})",
                        fmt(ref, "s"),
                        fmt(ours, "s"),
                        f"{ratio:.1f}×",
                        "≤ 1.5×",
                        ratio <= 1.5,
                    )
                )
                rows.append(
                    (
                        f"{name} export peak memory over idle ({scale})",
                        "—",
                        fmt(memory, "MB"),
                        "—",
                        "≤ 20 MB",
                        max(memory) <= 20,
                    )
                )
                rows.append(
                    (
                        f"{name} export arrives whole ({scale})",
                        f"{rows_in_db + 1:,} lines",
                        "whole" if whole else "cut off",
                        "—",
                        "whole",
                        whole,
                    )
                )
            # Pages against the hello-world view, interleaved.
            targets = {"hello-world (reference)": "/bench/hello", **paths}
            rps = page_rounds(server, targets, args, f"{scale} pages")
            for label in paths:
                ratio = paired_ratio(rps, label)
                goal = "≥ 4%" if label.startswith("treaty page") else "—"
                met = ratio >= 0.04 if goal != "—" else None
                rows.append(
                    (
                        f"{label} ({scale})",
                        fmt(rps["hello-world (reference)"], "req/s"),
                        fmt(rps[label], "req/s"),
                        f"{ratio:.1%}",
                        goal,
                        met,
                    )
                )
        # The same pages from the page cache (Redis), as production serves them to readers,
        # against the hello-world view of the same server; then the load run.
        with Server(url, static_root, port=8766, cache=True) as server:
            targets = {"hello-world (reference)": "/bench/hello", **paths}
            for path in paths.values():
                urllib.request.urlopen(server.url + path, timeout=600).read()
            rps = page_rounds(server, targets, args, f"{scale} cached pages")
            for label in paths:
                ratio = paired_ratio(rps, label)
                rows.append(
                    (
                        f"cached: {label} ({scale})",
                        fmt(rps["hello-world (reference)"], "req/s"),
                        fmt(rps[label], "req/s"),
                        f"{ratio:.1%}",
                        "≥ 50%",
                        ratio >= 0.5,
                    )
                )
            # The load run: 8 clients over a mix of public URLs.
            script = Path(tempfile.mkstemp(suffix=".lua")[1])
            mix = ", ".join(f'"{p}"' for p in paths.values())
            script.write_text(
                f"local paths = {{{mix}}}\nlocal i = 0\nrequest = function()\n"
                "  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n"
            )
            load = wrk(
                server.url + "/",
                seconds=args.load_seconds,
                connections=8,
                threads=2,
                script=str(script),
            )
            script.unlink()
            rows.append(
                (
                    f"load: 8 clients × {args.load_seconds} s, mixed pages ({scale})",
                    "—",
                    f"{load['requests']:,} requests, {load['errors']} errors, "
                    f"p50 {load['p50_ms']:.0f} ms, p99 {load['p99_ms']:.0f} ms",
                    "—",
                    "0 errors",
                    load["errors"] == 0,
                )
            )
        # load_seed beside the scale's rows: its work is the seed's own, whatever else is there.
        found = seed_loads(scale, max(args.runs // 2, 2))
        for step in ("first load", "loaded again"):
            ref, ours = found[(step, "ref")], found[(step, "ours")]
            times = [[t for t, _ in ref], [t for t, _ in ours]]
            memory = [[m for _, m in ref], [m for _, m in ours]]
            ratio = statistics.median(times[1]) / statistics.median(times[0])
            growth = max(memory[1]) - max(memory[0])
            for what, (base, mine), unit, change, goal, met in [
                ("time", times, "s", f"{ratio:.2f}×", "≤ 1.5×", ratio <= 1.5),
                ("peak memory", memory, "MB", f"{growth:+.0f} MB", "≤ +20 MB", growth <= 20),
            ]:
                rows.append(
                    (
                        f"load_seed, {step}, beside the {scale} rows ({what})",
                        "empty database: " + fmt(base, unit),
                        fmt(mine, unit),
                        change,
                        goal,
                        met,
                    )
                )
    # Page sizes: do they stay bounded as the data grows?
    for label in pages_for("seed"):
        base = sizes["seed"][label]
        cells = []
        for scale in sizes:
            s = sizes[scale][label]
            cells.append(
                f"{scale}: {s['bytes'] / 1024:,.0f} KB, {s['queries']} queries, {s['status']}"
            )
        largest = sizes[list(sizes)[-1]][label]
        ratio = largest["bytes"] / max(base["bytes"], 1)
        bound = FILLING_RATIO if label in FILLING else RATIO
        rows.append(
            (
                f"page size: {label}",
                f"seed: {base['bytes'] / 1024:,.0f} KB",
                "; ".join(cells[1:]) or "—",
                f"{ratio:.1f}×",
                f"≤ {bound}× seed" + (" (the seed fills it in part)" if label in FILLING else ""),
                ratio <= bound,
            )
        )
    write(args.output, rows, scales, args)


def write(path, rows, scales, args):
    lines = [
        "# Benchmark results",
        "",
        f"`make bench`, {datetime.date.today().isoformat()}, PostgreSQL, "
        f"scales: {', '.join(scales)}; "
        f"medians (min–max in brackets) of interleaved runs: {args.runs} of each export, "
        f"{max((args.runs + 1) // 2, 3)} rounds of {args.wrk_seconds} s with wrk for each page "
        "(its ratio: the median of its rate against the hello-world rate of the same round), "
        f"{max(args.runs // 2, 2)} of each load_seed.",
        "",
        "| What | Reference | Ours | Ratio | Goal | Met? |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for what, ref, ours, ratio, goal, met in rows:
        mark = "—" if met is None else ("yes" if met else "**no**")
        lines.append(f"| {what} | {ref} | {ours} | {ratio} | {goal} | {mark} |")
    Path(path).write_text("\n".join(lines) + "\n")
    log(f"wrote {path}")


if __name__ == "__main__":
    main()
