"""The public intake under a burst: SOS form posts and signed bot messages, and a crash.

Starts the real server (`lifeline serve`, gunicorn) on a fresh database (SQLite in a temporary
data folder, or the PostgreSQL server named by DATABASE_URL, in a database of its own), and
drives it from a second process on loopback:

  sos   POST /help/ with a filled form and its one-time token (fetched beforehand, unmeasured)
  bot   POST /api/v1/intake/messages, HMAC-signed with a channel's secret

It prints acknowledged submissions per second, p50/p99 latency, how long after the burst the
inbox's drainer had made every acknowledged submission a request, lost submissions
(acknowledged but not a request with its receipt after the drain: must be 0), the CPU time per
submission of the server, its drainer and the client, the server's peak resident memory and the
SOS page's compressed size, against the targets (>= 300/s, p99 <= 100 ms, 0 lost,
page <= 15 KB).

`--kill` instead SIGKILLs the whole server (master, workers and drainer) during a burst,
restarts it, lets its drainer empty the inbox, and checks that every submission acknowledged
before the kill is a request (tests/intake/test_durability.py runs it).

    .venv/bin/python bench/intake_load.py                  # 3,000 submissions, SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lifeline_bench .venv/bin/python bench/intake_load.py
    .venv/bin/python bench/intake_load.py --smoke          # 300 submissions (CI)
    .venv/bin/python bench/intake_load.py --kill --smoke   # the crash check

A missed target does not change the exit code; a lost submission or a wrong answer does.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import hmac
import http.client
import json
import multiprocessing
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from case_desk import BIN, Database, Server, _children, prepare_database  # noqa: E402

TARGET_RATE = 300.0
TARGET_P99_MS = 100.0
TARGET_PAGE_KB = 15.0
TOKEN = re.compile(rb'name="token" value="([^"]+)"')
CODE = re.compile(rb'class="code">([^<]+)<')
SECRET = "bench-channel-secret-" + "x" * 24
# CPU seconds of the last burst's client process (it reports them before it ends).
CLIENT_CPU = [0.0]


# --------------------------------------------------------------------------------------------
# Set-up: migrate, one organisation, one bot channel
# --------------------------------------------------------------------------------------------


def set_up(db: Database) -> str:
    """Migrate the fresh database and create the organisation and its channel; returns the
    channel's uid. Runs in a child process so that this one never imports Django."""
    subprocess.run(  # noqa: S603 - our own command
        [str(BIN / "lifeline"), "migrate", "--no-input", "-v", "0"], env=db.env, check=True
    )
    script = (
        "import django; django.setup()\n"
        "from lifeline.accounts.models import Organisation\n"
        "from lifeline.core.tenancy import scope\n"
        "from lifeline.intake.models import BotChannel\n"
        "org = Organisation.objects.create(name='Bench', slug='bench', case_prefix='BE')\n"
        "with scope(organisation=org):\n"
        f"    ch = BotChannel.objects.create(organisation=org, name='bot', kind='telegram', secret={SECRET!r})\n"
        "print(ch.uid)\n"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", script], env=db.env, check=True, capture_output=True, text=True
    )
    return out.stdout.strip().splitlines()[-1]


def server_env(db: Database) -> dict[str, str]:
    return {
        **db.env,
        "LIFELINE_INTAKE_ORGANISATION": "bench",
        # A burst from one loopback address is the load being measured, not abuse.
        "LIFELINE_INTAKE_RATE_PER_ADDRESS": str(10**9),
        "LIFELINE_INTAKE_RATE_OVERALL": str(10**9),
        "LIFELINE_SCHEDULER": "off",
    }


def start_server(db: Database, workers: int) -> Server:
    saved = db.env
    db.env = server_env(db)
    try:
        server = Server(db, workers)
    finally:
        db.env = saved
    server.wait_ready()
    return server


# --------------------------------------------------------------------------------------------
# The client: a second process, several threads, one keep-alive connection each
# --------------------------------------------------------------------------------------------

FORM = {
    "relation": "family",
    "names": "Nguyễn Văn An / 阿安",
    "contact_kind": "phone",
    "contact": "+66 81 234 5678",
    "contact_times": "after 22:00",
    "country": "KH",
    "town": "Sihanoukville",
    "compound": "Golden Fortune",
    "signs": "locked_in",
    "text": "He is held in building B and cannot leave.",
}


def _connection(port: int) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", port, timeout=30)


def fetch_tokens(port: int, count: int) -> list[str]:
    conn, tokens = _connection(port), []
    for _ in range(count):
        conn.request("GET", "/help/?lang=en")
        body = conn.getresponse().read()
        tokens.append(TOKEN.search(body).group(1).decode())
    conn.close()
    return tokens


class LeanConnection:
    """A keep-alive HTTP/1.1 connection that sends prepared bytes and reads the answer.

    The client shares the server's two cores, so it should cost as little as a load generator
    written in C would: http.client parses every answer's headers with the email package,
    which costs the client about as much CPU as a third of the server's work per request."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def close(self) -> None:
        self.sock.close()

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        self.buffer += chunk

    def exchange(self, request: bytes) -> tuple[int, bytes]:
        self.sock.sendall(request)
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
        if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
            return status, self._chunked()
        length = int(headers.get(b"content-length", b"0"))
        while len(self.buffer) < length:
            self._fill()
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return status, body

    def _chunked(self) -> bytes:
        body = b""
        while True:
            while b"\r\n" not in self.buffer:
                self._fill()
            size_line, self.buffer = self.buffer.split(b"\r\n", 1)
            size = int(size_line.split(b";")[0], 16)
            while len(self.buffer) < size + 2:
                self._fill()
            body, self.buffer = body + self.buffer[:size], self.buffer[size + 2 :]
            if size == 0:
                return body


def _prepare(kind: str, item: str, port: int) -> tuple[str, str, bytes]:
    """A submission's request bytes, made before the burst (a bot message is signed when sent,
    so for it only the body)."""
    if kind == "sos":
        body = urllib.parse.urlencode({**FORM, "token": item}).encode()
        head = (
            f"POST /help/?lang=en HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nOrigin: null\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        return kind, item, head.encode() + body
    message = {"message_id": item, "text": "ช่วยด้วย ถูกขังไว้ ออกไม่ได้", "name": "สมชาย"}
    return kind, item, json.dumps(message, ensure_ascii=False).encode()


def _send(
    conn: LeanConnection, kind: str, item: str, prepared: bytes, channel: str, port: int
) -> tuple[bool, str]:
    """One submission; (acknowledged, what identifies it: the receipt code or message id)."""
    if kind == "sos":
        status, page = conn.exchange(prepared)
        match = CODE.search(page)
        ok = status == 200 and match is not None
        return ok, (match.group(1).decode().replace(" ", "") if match else "")
    timestamp = str(int(time.time()))
    signature = hmac.new(SECRET.encode(), timestamp.encode() + b"." + prepared, hashlib.sha256)
    head = (
        f"POST /api/v1/intake/messages HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\nX-Lifeline-Channel: {channel}\r\n"
        f"X-Lifeline-Timestamp: {timestamp}\r\n"
        f"X-Lifeline-Signature: sha256={signature.hexdigest()}\r\n"
        f"Content-Length: {len(prepared)}\r\n\r\n"
    )
    status, _body = conn.exchange(head.encode() + prepared)
    return status in (200, 201), item


def drive(port: int, channel: str, work: list[tuple[str, str, bytes]], threads: int, out) -> None:
    """Send ``work`` from ``threads`` threads; report each result through ``out`` (a queue) as
    soon as it is acknowledged, so that a crash loses no acknowledgement the parent should
    check."""
    lock, index = threading.Lock(), [0]

    def worker() -> None:
        conn = LeanConnection(port)
        while True:
            with lock:
                if index[0] >= len(work):
                    break
                kind, item, prepared = work[index[0]]
                index[0] += 1
            started = time.perf_counter()
            try:
                ok, key = _send(conn, kind, item, prepared, channel, port)
            except (OSError, ValueError, IndexError):
                conn.close()
                with contextlib.suppress(OSError):  # the server may be gone (--kill)
                    conn = LeanConnection(port)
                ok, key = False, ""
            out.put((kind, ok, key, (time.perf_counter() - started) * 1000))
        conn.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    times = os.times()
    out.put(("cpu", times.user + times.system))
    out.put(None)


def run_burst(
    port: int,
    channel: str,
    work,
    threads: int,
    *,
    kill_after: int | None = None,
    server: Server | None = None,
) -> tuple[list, float]:
    queue: multiprocessing.Queue = multiprocessing.Queue()
    client_cpu = CLIENT_CPU
    prepared = [_prepare(kind, item, port) for kind, item in work]
    client = multiprocessing.Process(target=drive, args=(port, channel, prepared, threads, queue))
    started = time.perf_counter()
    client.start()
    results, seen = [], 0
    while True:
        item = queue.get()
        if item is None:
            break
        if item[0] == "cpu":
            client_cpu[0] = item[1]
            continue
        results.append(item)
        seen += 1
        if kill_after is not None and seen == kill_after and server is not None:
            os.killpg(server.process.pid, signal.SIGKILL)  # master and workers at once
    elapsed = time.perf_counter() - started
    client.join()
    return results, elapsed


# --------------------------------------------------------------------------------------------
# Counting what is stored
# --------------------------------------------------------------------------------------------


def stored(db: Database, codes: list[str], message_ids: list[str]) -> tuple[int, int]:
    """How many of the acknowledged receipt codes and bot message ids are in the database."""
    script = (
        "import json, sys, django; django.setup()\n"
        "from lifeline.core.tenancy import scopes_disabled\n"
        "from lifeline.intake import codes\n"
        "from lifeline.intake.models import BotMessage, Receipt\n"
        "data = json.load(sys.stdin)\n"
        "with scopes_disabled():\n"
        "    digests = [codes.code_digest(c) for c in data['codes']]\n"
        "    found = set()\n"
        "    for i in range(0, len(digests), 500):\n"
        "        found |= set(Receipt.objects.filter(code_digest__in=digests[i:i+500]).values_list('code_digest', flat=True))\n"
        "    ids = set(BotMessage.objects.values_list('message_id', flat=True))\n"
        "print(sum(d in found for d in digests), sum(m in ids for m in data['ids']))\n"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", script],
        env=db.env,
        input=json.dumps({"codes": codes, "ids": message_ids}),
        check=True,
        capture_output=True,
        text=True,
    )
    sos, bot = out.stdout.split()
    return int(sos), int(bot)


def wait_drained(db: Database, timeout: float = 600) -> tuple[float, dict[str, int]]:
    """Wait until the server's drainer has made a request of every acknowledged submission in
    the inbox; returns the seconds it took from now and the inbox's counts."""
    script = (
        "import json, time, django; django.setup()\n"
        "from lifeline.intake import inbox\n"
        "started = time.monotonic()\n"
        f"while time.monotonic() - started < {timeout}:\n"
        "    counts = inbox.status()\n"
        "    if counts['pending'] == 0:\n"
        "        break\n"
        "    time.sleep(0.05)\n"
        "print(json.dumps([time.monotonic() - started, counts]))\n"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", script], env=db.env, check=True, capture_output=True, text=True
    )
    seconds, counts = json.loads(out.stdout.strip().splitlines()[-1])
    return seconds, counts


def server_cpu(server: Server) -> dict[str, float]:
    """CPU seconds used so far by the server's processes: "serve" (gunicorn's master and
    workers) and "drain" (the inbox's drainer)."""
    total = {"serve": 0.0, "drain": 0.0}
    for pid in [server.process.pid, *_children(server.process.pid)]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        part = "drain" if b"drain" in command else "serve"
        total[part] += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _minus(after: dict[str, float], before: dict[str, float]) -> dict[str, float]:
    return {part: after[part] - before[part] for part in after}


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def _page_size(port: int) -> tuple[int, int]:
    conn = _connection(port)
    conn.request("GET", "/help/", headers={"Accept-Language": "my"})
    body = conn.getresponse().read()
    conn.close()
    return len(body), len(gzip.compress(body, 6))


def _work(sos: int, bot: int, tokens: list[str], run: str) -> list[tuple[str, str]]:
    work = [("sos", token) for token in tokens[:sos]]
    work += [("bot", f"{run}-{n}") for n in range(bot)]
    # Interleave the two kinds as they would arrive.
    return sorted(work, key=lambda item: hashlib.sha256(item[1].encode()).digest())


# --------------------------------------------------------------------------------------------


def measure(args, db: Database, channel: str) -> int:
    server = start_server(db, args.workers)
    try:
        tokens = fetch_tokens(server.port, args.sos + args.warmup)
        warm, tokens = tokens[: args.warmup], tokens[args.warmup :]
        run_burst(server.port, channel, _work(len(warm), args.warmup, warm, "warm"), args.threads)
        work = _work(args.sos, args.bot, tokens, "run")
        cpu_before = server_cpu(server)
        results, elapsed = run_burst(server.port, channel, work, args.threads)
        cpu_after = server_cpu(server)
        memory = server.memory()
        lag, inbox = wait_drained(db)
        cpu_burst, cpu_drain = _minus(cpu_after, cpu_before), _minus(server_cpu(server), cpu_after)
        raw, compressed = _page_size(server.port)
    finally:
        server.stop()
    acknowledged = [r for r in results if r[1]]
    codes = [r[2] for r in acknowledged if r[0] == "sos"]
    ids = [r[2] for r in acknowledged if r[0] == "bot"]
    found_sos, found_bot = stored(db, codes, ids)
    lost = len(codes) - found_sos + len(ids) - found_bot
    latencies = [r[3] for r in results]
    rate = len(acknowledged) / elapsed
    p50, p99 = _percentile(latencies, 0.50), _percentile(latencies, 0.99)
    refused = len(results) - len(acknowledged)

    def mark(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    print(
        f"intake burst on {db.label}: {len(work)} submissions ({args.sos} SOS form posts, "
        f"{args.bot} signed bot messages), {args.threads} client threads, "
        f"{args.workers} gunicorn workers"
    )
    print(
        f"  acknowledged      {len(acknowledged):6d} in {elapsed:.2f} s = {rate:7.1f}/s   "
        f"(target >= {TARGET_RATE:.0f}/s: {mark(rate >= TARGET_RATE)})"
    )
    print(
        f"  latency           p50 {p50:6.1f} ms   p99 {p99:6.1f} ms   "
        f"(target p99 <= {TARGET_P99_MS:.0f} ms: {mark(p99 <= TARGET_P99_MS)})"
    )
    print(
        f"  drained           {lag:6.1f} s after the burst: every acknowledged submission a "
        f"request in the triage queue ({inbox['pending']} waiting, {inbox['held']} held)"
    )
    print(f"  lost              {lost:6d}   (acknowledged but not stored; must be 0)")
    print(f"  not acknowledged  {refused:6d}")
    per = 1000 / len(work)
    print(
        f"  CPU per submission  server {per * cpu_burst['serve']:.2f} ms, drainer "
        f"{per * cpu_burst['drain']:.2f} ms during the burst and "
        f"{per * (cpu_drain['drain'] + cpu_drain['serve']):.2f} ms after it, "
        f"client {per * CLIENT_CPU[0]:.2f} ms"
    )
    print(
        f"  server memory     peak {memory['peak_max']:.0f} MB per process, "
        f"{memory['rss_sum']:.0f} MB resident in {memory['processes']} processes"
    )
    print(
        f"  machine           {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end "
        f"(other work on the machine lowers the rate)"
    )
    print(
        f"  SOS page          {raw / 1024:.1f} KB, {compressed / 1024:.1f} KB compressed   "
        f"(target <= {TARGET_PAGE_KB:.0f} KB: {mark(compressed / 1024 <= TARGET_PAGE_KB)})"
    )
    return 1 if lost or refused else 0


def crash(args, db: Database, channel: str) -> int:
    """SIGKILL the server during a burst; after a restart every acknowledged one is stored."""
    server = start_server(db, args.workers)
    tokens = fetch_tokens(server.port, args.sos)
    work = _work(args.sos, args.bot, tokens, "crash")
    try:
        results, _elapsed = run_burst(
            server.port, channel, work, args.threads, kill_after=len(work) // 2, server=server
        )
    finally:
        server.stop()
    server = start_server(db, args.workers)  # the same database, after the crash
    try:
        lag, inbox = wait_drained(db)  # its drainer makes the requests still in the inbox
    finally:
        server.stop()
    acknowledged = [r for r in results if r[1]]
    codes = [r[2] for r in acknowledged if r[0] == "sos"]
    ids = [r[2] for r in acknowledged if r[0] == "bot"]
    found_sos, found_bot = stored(db, codes, ids)
    lost = len(codes) - found_sos + len(ids) - found_bot
    print(
        f"crash on {db.label}: server SIGKILLed after {len(work) // 2} of {len(work)} "
        f"answers; {len(acknowledged)} acknowledged, {len(results) - len(acknowledged)} "
        f"failed with the server"
    )
    print(
        f"  after the restart the inbox was drained in {lag:.1f} s "
        f"({inbox['pending']} waiting, {inbox['held']} held)"
    )
    print(f"  lost {lost} (acknowledged but not stored after the restart; must be 0)")
    if len(acknowledged) < len(work) // 2:
        print("  the kill came too early to prove anything")
        return 1
    return 1 if lost else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sos", type=int, default=2000, help="SOS form posts in the burst")
    parser.add_argument("--bot", type=int, default=1000, help="signed bot messages in the burst")
    parser.add_argument("--warmup", type=int, default=40, help="unmeasured submissions first")
    parser.add_argument("--threads", type=int, default=8, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--smoke", action="store_true", help="200 + 100 submissions (CI)")
    parser.add_argument("--kill", action="store_true", help="SIGKILL the server mid-burst")
    parser.add_argument("--keep", action="store_true", help="keep the data folder and database")
    args = parser.parse_args(argv)
    if args.smoke:
        args.sos, args.bot, args.warmup = 200, 100, 20
    db = prepare_database()
    try:
        channel = set_up(db)
        return crash(args, db, channel) if args.kill else measure(args, db, channel)
    finally:
        if args.keep:
            print(f"kept {db.data_dir}")
        else:
            db.drop()


if __name__ == "__main__":
    sys.exit(main())
