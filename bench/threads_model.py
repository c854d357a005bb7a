#!/usr/bin/env python3
"""Ideal 2-thread schedule of a frame's row tasks from measured per-task costs (docs/threads.md).

Input: files of lines `frame row M T R F` (cycles or instructions per task: M modes, T tokens,
R reconstruction, F loop filter), several runs of one stream; the per-task minimum over the runs is
used (a preempted task only gets longer). Greedy list scheduling on N threads, free threads take
the ready task of highest priority at once (no spin or wake-up cost, no cache effects). A token
task of the wavefront holds its thread while it trails the row above (it may not finish before
the row above plus one macroblock's share of its own cost).

The costs come from a scratch build with bench/threads_model_costs.patch applied (upstream-c):
    git apply bench/threads_model_costs.patch && make -C upstream-c BUILD=/tmp/costs
    for i in 1 2 3 4 5; do SERIAL_COSTS=/tmp/c-$i.txt /tmp/costs/vp8dec -q -i S.ivf --threads 2 \
        --muxer null; done; git apply -R bench/threads_model_costs.patch
    python3 bench/threads_model.py --parts 4 /tmp/c-*.txt
It runs a threaded frame's tasks on one thread in row order and times each with the TSC."""
import argparse
import collections

def load(files):
    best = {}
    for f in files:
        for line in open(f):
            fr, r, *c = map(int, line.split())
            k = (fr, r)
            best[k] = c if k not in best else [min(a, b) for a, b in zip(best[k], c)]
    frames = collections.defaultdict(list)
    for (fr, r), c in sorted(best.items()):
        frames[fr].append(c)
    return [frames[k] for k in sorted(frames)]

def simulate(rows, design, nthreads=2, cols=120, slots=8, parts=1, prio="FRTM"):
    """Makespan of one frame. rows: [M, T, R, F] per row."""
    n = len(rows)
    split = design.get("split", False)        # M and T separate tasks (else P = M + T)
    wave = design.get("wave", False)          # T(r) follows T(r-1) column by column (parts > 1)
    follow_r = design.get("follow_r", False)  # R(r) follows T(r) column by column
    f_after_r = design.get("f_after_r", False)  # F(r) needs R(r) only (saved line / band)
    tasks = {}  # (kind, r) -> (start, finish)
    kinds = ["F", "R", "T", "M"] if split else ["F", "R", "P"]
    order = {k: i for i, k in enumerate(prio)} if split else {"F": 0, "R": 1, "P": 2}
    kinds.sort(key=lambda k: order.get(k, 9))
    nxt = {k: 0 for k in kinds}
    cost = lambda k, r: {"M": rows[r][0], "T": rows[r][1], "P": rows[r][0] + rows[r][1],
                         "R": rows[r][2], "F": rows[r][3]}[k]
    done = lambda k, r, t: r < 0 or ((k, r) in tasks and tasks[(k, r)][1] <= t)
    started = lambda k, r, t: r < 0 or ((k, r) in tasks and tasks[(k, r)][0] + cost(k, r) / cols <= t)
    tokname = "T" if split else "P"
    def ready(k, r, t):
        if r >= n or not done(k, r - 1, t) and not (k == "T" and wave):
            if not (k == "T" and wave and r < n):
                return None
        if k == "M":
            return True
        if k == "P":
            return True if done("P", r - 1, t) and done("R", r - slots, t) else None
        if k == "T":
            if not done("M", r, t) or not done("R", r - slots, t):
                return None
            if wave:
                if not done("T", r - parts, t) or not started("T", r - 1, t):
                    return None
                return ("T", r - 1) if r > 0 else True
            return True
        if k == "R":
            if follow_r:
                return ("R", r - 1) if False else (tokname, r) if started(tokname, r, t) and done("R", r - 1, t) else None
            return True if done(tokname, r, t) else None
        if k == "F":
            need = r if f_after_r or r == n - 1 else r + 1
            return True if done("R", need, t) else None
    free = [0.0] * nthreads
    t = 0.0
    events = set([0.0])
    while nxt["F"] < n:
        t = min(events)
        events.discard(t)
        for i in range(nthreads):
            if free[i] > t:
                continue
            for k in kinds:
                r = nxt[k]
                if r >= n:
                    continue
                # one task per chain at a time: the previous one must be finished
                if r > 0 and (k, r - 1) in tasks and tasks[(k, r - 1)][1] > t and not (k == "T" and wave):
                    continue
                if r > 0 and (k, r - 1) not in tasks:
                    continue
                rd = ready(k, r, t)
                if rd is None:
                    continue
                fin = t + cost(k, r)
                if rd is not True:
                    pk, pr = rd
                    fin = max(fin, tasks[(pk, pr)][1] + cost(k, r) / cols)
                tasks[(k, r)] = (t, fin)
                nxt[k] += 1
                free[i] = fin
                events.add(fin)
                break
        # wake-ups at "one column in" times
        for (k, r) in [(k, nxt[k] - 1) for k in kinds if nxt[k] > 0]:
            s, f = tasks[(k, r)]
            c = s + cost(k, r) / cols
            if c > t:
                events.add(c)
        if not events:
            events.add(min(x for x in free if x > t) if any(x > t for x in free) else t + 1)
    return max(f for s, f in tasks.values())

def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--parts", type=int, default=1, help="token partitions of the stream")
    ap.add_argument("--serial-share", type=float, default=0.015,
                    help="share of the 1-thread time spent outside the row tasks per frame (headers, "
                         "edges, top/bottom borders): callgrind gives 1.5%% on motion 1080p")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    frames = load(a.files)
    tot = [sum(r[i] for fr in frames for r in fr) for i in range(4)]
    tasks = sum(tot)
    serial = a.serial_share * tasks / (1 - a.serial_share) / len(frames)
    print("task shares: M %.1f%% T %.1f%% R %.1f%% F %.1f%% (%d frames)" % (
        *(100 * x / tasks for x in tot), len(frames)))
    if a.parts == 1:
        # One partition: the token rows are one chain whatever the schedule.
        print("bound of the token chain (with the serial part): %.2fx" % (
            (tasks + serial * len(frames)) / (tot[1] + serial * len(frames))))
    wave = a.parts > 1
    prio = "FRTM" if wave else "TFRM"
    designs = [
        ("P = M + T chain, F > R > P (before)", {}, "FRTM"),
        ("M chain + T %s, %s" % ("wavefront" if wave else "chain", prio), {"split": True, "wave": wave}, prio),
        ("  the same, F(r) after R(r) (safe stage's bands)", {"split": True, "wave": wave, "f_after_r": True}, prio),
    ]
    for name, d, pr in designs:
        ms = sum(simulate(fr, d, a.threads, parts=a.parts, prio=pr) + serial for fr in frames)
        print("%-52s ideal %d-thread speed-up %.2fx" % (name, a.threads, (tasks + serial * len(frames)) / ms))

main()
