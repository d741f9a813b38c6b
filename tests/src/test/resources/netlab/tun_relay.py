#!/usr/bin/python3
"""Impaired link between two network namespaces: relays IP packets between a TUN device
opened in namespace A (the server side) and one opened in namespace B (the viewer side).

Per direction ("down" = A->B, "up" = B->A): drops a random fraction (seeded), holds an
optional rate with a bounded queue and tail drop, then adds a fixed one-way delay.
The kernel has no netem here (TESTING.md), so this is the user-space replacement.

Stdlib only. Prints "ready" on stdout once both devices exist. Reads commands on stdin,
one per line: "loss_down F", "loss_up F", "delay_ms N", "rate_kbit N" (0 = unlimited),
"stats" (writes the stats file and prints the stats as one JSON line on stdout). Exits on SIGTERM, SIGINT or stdin EOF; writes its
counters as JSON to --stats (atomically) every 0.5 s and on exit, and to stderr on exit.
"""
import argparse
import ctypes
import fcntl
import heapq
import json
import os
import random
import selectors
import signal
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
CLONE_NEWNET = 0x40000000
PR_SET_PDEATHSIG = 1

libc = ctypes.CDLL(None, use_errno=True)


def setns(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, "setns(%s): %s" % (path, os.strerror(err)))
    finally:
        os.close(fd)


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    ifr = struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI)
    fcntl.ioctl(fd, TUNSETIFF, ifr)
    os.set_blocking(fd, False)
    return fd


class Direction:
    def __init__(self, name, loss, rng):
        self.name = name
        self.loss = loss
        self.rng = rng
        self.received = 0
        self.forwarded = 0
        self.dropped = 0       # random loss
        self.tail_dropped = 0  # rate queue full
        self.write_failed = 0
        self.bytes_forwarded = 0
        self.next_free = 0.0   # when the rate limiter finishes the packets already queued

    def counters(self):
        return {"received": self.received, "forwarded": self.forwarded, "dropped": self.dropped,
                "tailDropped": self.tail_dropped, "writeFailed": self.write_failed,
                "bytesForwarded": self.bytes_forwarded}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dev-a", required=True)
    ap.add_argument("--ns-a", required=True, help="path of namespace A, e.g. /proc/PID/ns/net")
    ap.add_argument("--dev-b", required=True)
    ap.add_argument("--ns-b", required=True, help="path of namespace B, e.g. /run/netns/NAME")
    ap.add_argument("--loss-down", type=float, default=0.0)
    ap.add_argument("--loss-up", type=float, default=0.0)
    ap.add_argument("--delay-ms", type=float, default=0.0)
    ap.add_argument("--rate-kbit", type=float, default=0.0)
    ap.add_argument("--queue-ms", type=float, default=100.0, help="rate queue length in time at the rate")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--stats", default=None)
    args = ap.parse_args()

    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    setns(args.ns_a)
    fd_a = open_tun(args.dev_a)
    setns(args.ns_b)
    fd_b = open_tun(args.dev_b)

    # one generator per direction: a direction's drops depend only on the seed and its own packets
    down = Direction("down", args.loss_down, random.Random(args.seed * 2))
    up = Direction("up", args.loss_up, random.Random(args.seed * 2 + 1))
    settings = {"delay_ms": args.delay_ms, "rate_kbit": args.rate_kbit}
    started = time.monotonic()
    heap = []  # (due, seq, destination fd, direction, packet)
    seq = [0]
    stop = [False]

    def stats_json():
        return json.dumps({"down": down.counters(), "up": up.counters(),
                           "lossDown": down.loss, "lossUp": up.loss,
                           "delayMs": settings["delay_ms"], "rateKbit": settings["rate_kbit"],
                           "queued": len(heap), "seconds": round(time.monotonic() - started, 3)})

    def write_stats():
        if not args.stats:
            return
        tmp = args.stats + ".tmp"
        with open(tmp, "w") as f:
            f.write(stats_json())
        os.replace(tmp, args.stats)

    def on_signal(signum, frame):
        stop[0] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    def accept(packet, d, dest, now):
        d.received += 1
        if d.loss > 0 and d.rng.random() < d.loss:
            d.dropped += 1
            return
        depart = now
        rate = settings["rate_kbit"]
        if rate > 0:
            bytes_per_s = rate * 1000.0 / 8.0
            backlog = max(0.0, d.next_free - now) * bytes_per_s
            limit = max(3000.0, bytes_per_s * args.queue_ms / 1000.0)
            if backlog + len(packet) > limit:
                d.tail_dropped += 1
                return
            d.next_free = max(d.next_free, now) + len(packet) / bytes_per_s
            depart = d.next_free
        seq[0] += 1
        heapq.heappush(heap, (depart + settings["delay_ms"] / 1000.0, seq[0], dest, d, packet))

    def command(line):
        parts = line.split()
        if len(parts) == 1 and parts[0] == "stats":
            write_stats()
            print(stats_json(), flush=True)
        elif len(parts) == 2:
            key, value = parts[0], float(parts[1])
            if key == "loss_down":
                down.loss = value
            elif key == "loss_up":
                up.loss = value
            elif key in ("delay_ms", "rate_kbit"):
                settings[key] = value
            else:
                print("unknown command: " + line, file=sys.stderr, flush=True)
        elif parts:
            print("unknown command: " + line, file=sys.stderr, flush=True)

    sel = selectors.DefaultSelector()
    sel.register(fd_a, selectors.EVENT_READ, (down, fd_b))
    sel.register(fd_b, selectors.EVENT_READ, (up, fd_a))
    stdin_fd = sys.stdin.fileno()
    os.set_blocking(stdin_fd, False)
    sel.register(stdin_fd, selectors.EVENT_READ, None)
    stdin_buf = b""

    print("ready", flush=True)
    last_stats = 0.0
    while not stop[0]:
        now = time.monotonic()
        timeout = 0.5
        if heap:
            timeout = min(timeout, max(0.0, heap[0][0] - now))
        try:
            events = sel.select(timeout)
        except InterruptedError:
            continue
        for key, _ in events:
            if key.data is None:
                try:
                    chunk = os.read(stdin_fd, 4096)
                except BlockingIOError:
                    continue
                if not chunk:
                    stop[0] = True
                    break
                stdin_buf += chunk
                while b"\n" in stdin_buf:
                    line, stdin_buf = stdin_buf.split(b"\n", 1)
                    try:
                        command(line.decode().strip())
                    except ValueError:
                        print("bad command: %r" % line, file=sys.stderr, flush=True)
                continue
            d, dest = key.data
            for _ in range(64):  # bounded per wakeup so the other side and the delay line get turns
                try:
                    packet = os.read(key.fd, 65536)
                except BlockingIOError:
                    break
                if not packet:
                    break
                # stamped when read, not when select returned: a packet that arrived while this
                # loop ran would otherwise leave up to that long before its full delay
                accept(packet, d, dest, time.monotonic())
        now = time.monotonic()
        while heap and heap[0][0] <= now:
            _, _, dest, d, packet = heapq.heappop(heap)
            try:
                os.write(dest, packet)
                d.forwarded += 1
                d.bytes_forwarded += len(packet)
            except OSError:
                d.write_failed += 1
        if now - last_stats >= 0.5:
            write_stats()
            last_stats = now

    write_stats()
    print(stats_json(), file=sys.stderr, flush=True)


if __name__ == "__main__":
    try:
        main()
    except OSError as e:
        print("tun_relay: %s" % e, file=sys.stderr, flush=True)
        sys.exit(1)
