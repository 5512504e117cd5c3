"""``grade daemon status|stop``: the warm grader's background servers of this user (``grader/front/warm.py``)
-- what each serves, since when, how many grades, its memory -- and ending them.  A server ends by itself
after ten minutes without a grade; stopping it only frees its memory now (the next ``grade`` starts one)."""
from __future__ import annotations

import argparse
import time

from grader.core import startup
from grader.core.i18n import N_, _
from grader.front import options, serverlink, warm
from grader.front.commands import Command

COMMAND = Command("daemon", usage="grade daemon status|stop",
                  summary=N_("the warm grader's background server: show it, or end it"), order=60)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="grade daemon",
        description=_("After the first `grade exNN`, a background server of this user and this course checkout "
                      "answers every grade without starting Keras again. It ends by itself after {minutes:g} "
                      "minutes without a grade, and when the course's files, the grader or the Python "
                      "environment change. `--no-daemon` or GRADE_DAEMON=0 grade without it.").format(
                          minutes=warm.IDLE_SECONDS / 60),
        formatter_class=options.HelpFormatter)
    p.add_argument("action", choices=["status", "stop"],
                   help=_("status: show the running servers; stop: end them"))
    options.add_language(p)
    return p


def _idents() -> list[tuple[serverlink.Identity, dict]]:
    """Every server whose rendezvous is in this user's private folder (live or not)."""
    try:
        folder = serverlink.private_folder(create=False)
    except serverlink.Unreachable:
        return []
    return [(serverlink.Identity(str(d.get("root", "")), str(d.get("sandbox", "")), str(d["key"]), folder), d)
            for _path, d in serverlink.servers(folder)]


def status_lines() -> list[str]:
    """One paragraph per running server (none: one line saying so)."""
    lines: list[str] = []
    for ident, _data in _idents():
        try:
            s = warm.ask(ident, "status")
        except serverlink.Unreachable:
            continue
        if s.get("event") != "status":
            continue
        lines += [_("server {pid} for {root}").format(pid=s["pid"], root=s["root"]),
                  "  " + _("running for {minutes:.0f} min, {grades} grade(s), idle for {idle:.0f} s (ends after "
                           "{limit:.0f} s)").format(minutes=(time.time() - s["started"]) / 60, grades=s["grades"],
                                                   idle=s["idle"], limit=s["idle_limit"]),
                  "  " + _("memory: {rss:.0f} MB (with its child processes {tree:.0f} MB; replaced above "
                           "{max:.0f} MB)").format(rss=s["rss_mb"], tree=s["tree_mb"], max=s["max_mb"]),
                  "  " + _("sandbox: {sandbox}; listening on {address} ({transport})").format(
                      sandbox=s["sandbox"], address=s["address"], transport=s["transport"])]
    return lines or [_("no grading server is running")]


def stop_all(wait: float = 10.0) -> int:
    """End every running server of this user; how many were asked to stop."""
    asked = []
    for ident, _data in _idents():
        try:
            reply = warm.ask(ident, "stop")
        except serverlink.Unreachable:
            continue
        if reply.get("event") == "stopping":
            asked.append(ident)
    deadline = time.monotonic() + wait
    while asked and time.monotonic() < deadline and any(serverlink.Lock.held(i.lock) for i in asked):
        time.sleep(0.05)
    return len(asked)


def cli_main(argv: list[str]) -> int:
    args = options.parse(_parser, argv)
    startup.start(startup.TOOL)
    if args.action == "status":
        print("\n".join(status_lines()))
        return 0
    n = stop_all()
    print(_("stopped {n} grading server(s)").format(n=n) if n else _("no grading server is running"))
    return 0
