#!/usr/bin/env python3
"""Writes a synthetic node log for benchmarks: ordinary kubelet, containerd, systemd and
bmctl lines, with a known error line every LINES/5 lines. Usage: gen_log.py OUT MEGABYTES"""
import random
import sys

PLANTED = [
    "F1103 02:11:07.551020       1 server.go:495] open /proc/sys/net/netfilter/nf_conntrack_max: permission denied",
    "Nov 03 02:13:44 node-4 kubelet[2231]: E1103 02:13:44.120931 2231 kubelet.go:2040] skipping pod synchronization - PLEG is not healthy: pleg was last seen active 4m12.443129s ago",
    "[2024-11-03 02:14:10+0000] Error: preflight check failed on 10.200.0.7: Docker service is not active",
]


def noise(rng):
    n = rng.getrandbits(48)
    h, m, s, us = n % 24, n // 24 % 60, n // 1440 % 60, n % 1_000_000
    pod = f"web-{n % 0xffffffff:x}-{n % 0xfffff:05x}"
    kind = n % 6
    if kind == 0:
        return f'I1103 {h:02}:{m:02}:{s:02}.{us:06}    2231 kubelet.go:1820] "SyncLoop (PLEG): event for pod" pod="prod/{pod}" event=ContainerStarted'
    if kind == 1:
        return f'Nov 03 {h:02}:{m:02}:{s:02} node-{n % 9} containerd[811]: level=info msg="StartContainer for \\"{n:x}\\" returns successfully"'
    if kind == 2:
        return f"Nov 03 {h:02}:{m:02}:{s:02} node-{n % 9} systemd[1]: Started Session {n % 5000} of user root."
    if kind == 3:
        return f'I1103 {h:02}:{m:02}:{s:02}.{us:06}    2231 prober.go:117] "Probe succeeded" probeType="Readiness" pod="prod/{pod}"'
    if kind == 4:
        return f"[2024-11-03 {h:02}:{m:02}:{s:02}+0000] Waiting for cluster kubeconfig to become ready OK"
    return f'time="2024-11-03T{h:02}:{m:02}:{s:02}Z" level=info msg="ImageCreate event name:\\"gcr.io/app/{pod}:v{n % 40}\\""'


def main():
    out, megabytes = sys.argv[1], int(sys.argv[2])
    rng = random.Random(42)
    target = megabytes * 1_000_000
    written = 0
    count = 0
    with open(out, "w") as f:
        while written < target:
            count += 1
            line = PLANTED[count // 100_000 % len(PLANTED)] if count % 100_000 == 0 else noise(rng)
            f.write(line + "\n")
            written += len(line) + 1


main()
