"""corpus-ics.py: every .ics of the corpus through pstdedup, its events
checked by a second parser (python3-icalendar and dateutil), not the
libical that pstdedup reads and writes with.

Per file: the exit status is 0, or 3 with the reason on standard error;
every event of the output is one of the input's (by UID and
RECURRENCE-ID, or by summary and start without a UID); every event of
the input is in the output unless the report counts it as skipped or
removed; a matched event has the same summary, start, end (as instants,
or the same dates for all-day events) and RRULE (the first 30
occurrences of its expansion); and the output read back by pstdedup
is written again byte for byte. Run by tests/corpus-ics.sh.
"""
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import icalendar
from dateutil import rrule

SKIP = 77
NOCC = 30


def instant(v):
    """A DTSTART/DTEND/RECURRENCE-ID value: a datetime in UTC (floating
    times are taken as UTC, as pstdedup(1) says), a date as is."""
    if isinstance(v, datetime.datetime):
        if v.tzinfo is not None:
            return v.astimezone(datetime.timezone.utc)
        return v.replace(tzinfo=datetime.timezone.utc)
    return v


def occurrences(ev, start):
    """The first NOCC occurrences of the RRULE, in UTC, or None."""
    rr = ev.get("RRULE")
    if rr is None:
        return None
    if isinstance(rr, list):
        rr = rr[0]
    text = rr.to_ical().decode()
    dt = start
    if not isinstance(dt, datetime.datetime):
        dt = datetime.datetime(dt.year, dt.month, dt.day)
    # dateutil wants UNTIL in the form of DTSTART: UTC for an aware
    # start, floating for a naive one.
    parts = []
    for p in text.split(";"):
        if p.startswith("UNTIL="):
            u = rr.get("UNTIL")[0]
            if not isinstance(u, datetime.datetime):
                u = datetime.datetime(u.year, u.month, u.day, 23, 59, 59)
            if dt.tzinfo is not None:
                if u.tzinfo is None:
                    u = u.replace(tzinfo=dt.tzinfo)
                u = u.astimezone(datetime.timezone.utc)
                p = "UNTIL=" + u.strftime("%Y%m%dT%H%M%SZ")
            else:
                if u.tzinfo is not None:
                    u = u.replace(tzinfo=None)
                p = "UNTIL=" + u.strftime("%Y%m%dT%H%M%S")
        parts.append(p)
    rule = rrule.rrulestr(";".join(parts), dtstart=dt)
    out = []
    for o in rule:
        out.append(instant(o))
        if len(out) == NOCC:
            break
    return out


class Event:
    def __init__(self, ev):
        self.uid = str(ev.get("UID", "")) or None
        self.summary = str(ev.get("SUMMARY", ""))
        s = ev.decoded("DTSTART")
        self.all_day = not isinstance(s, datetime.datetime)
        self.start = instant(s)
        if "DTEND" in ev:
            self.end = instant(ev.decoded("DTEND"))
        elif "DURATION" in ev:
            self.end = instant(s + ev.decoded("DURATION"))
        else:
            self.end = instant(s + datetime.timedelta(days=1)
                               if self.all_day else s)
        rid = ev.get("RECURRENCE-ID")
        self.override = rid is not None
        if self.override:
            r = rid.dt
            self.key = "%s|%04d%02d%02d" % (self.uid or "", r.year,
                                            r.month, r.day)
        elif self.uid:
            self.key = self.uid
        else:
            self.key = None
        self.alt = "%s@%s" % (self.summary, self.start)
        self.occ = occurrences(ev, s)
        # A date series with a UTC UNTIL: Outlook's last day's local
        # midnight, one more or less by reading.
        self.loose = False
        rr = ev.get("RRULE")
        if rr is not None and self.all_day:
            if isinstance(rr, list):
                rr = rr[0]
            u = rr.get("UNTIL")
            self.loose = bool(u) and isinstance(u[0], datetime.datetime)
        self.seen = False


def events(path, repair=False, bad=None):
    """The events with a start. repair (an input): white space taken out
    of RRULE values, which some writers put after commas and icalendar
    refuses (libical takes it); bad (an output): gets a message for
    every property icalendar could not read."""
    with open(path, "rb") as fp:
        raw = fp.read()
    if repair:
        raw = re.sub(rb"\r?\n[ \t]", b"", raw)
        raw = re.sub(rb"(?m)^(RRULE[:;][^\r\n]*)",
                     lambda m: re.sub(rb"[ \t]", b"", m.group(1)), raw)
    cal = icalendar.Calendar.from_ical(raw)
    out = []
    for ev in cal.walk("VEVENT"):
        if bad is not None:
            for name, err in ev.errors:
                bad.append("%s: %s not readable: %s" % (path, name, err))
        if "DTSTART" not in ev:
            continue
        out.append(Event(ev))
    return out


def compare(name, inp, out, allowed, notes=None):
    """The differences between the events of an input and an output,
    as messages; allowed: how many input events may be missing; notes
    (a list) gets the tolerated ones."""
    bad = []
    by_key = {}
    by_alt = {}
    for e in out:
        if e.key:
            by_key.setdefault(e.key, e)
        by_alt.setdefault(e.alt, e)
    missing = 0
    for e in inp:
        # Without a UID, the output's is made up.
        o = by_key.get(e.key) if e.uid else by_alt.get(e.alt)
        if o is None:
            missing += 1
            continue
        o.seen = True
        what = e.key or e.alt
        # An override without SUMMARY has its series' in Outlook.
        # Trailing white space too: libical's parser drops it, and
        # pstdedup puts it back.
        if (not e.override or e.summary) and e.summary != o.summary:
            bad.append("%s: %s: summary %r, written %r" %
                       (name, what, e.summary, o.summary))
        if e.start != o.start:
            bad.append("%s: %s: start %s, written %s" %
                       (name, what, e.start, o.start))
        if e.end != o.end:
            bad.append("%s: %s: end %s, written %s" %
                       (name, what, e.end, o.end))
        if e.all_day != o.all_day:
            bad.append("%s: %s: all-day %s, written %s" %
                       (name, what, e.all_day, o.all_day))
        if (e.occ is None) != (o.occ is None):
            bad.append("%s: %s: RRULE %s, written %s" %
                       (name, what, e.occ is not None, o.occ is not None))
        elif e.occ is not None:
            if notes is not None:
                notes.append("rrule")
            n = len(e.occ)
            if e.loose and len(o.occ) in (n, n + 1):
                pass
            elif len(o.occ) != n:
                bad.append("%s: %s: RRULE gives %d occurrences, "
                           "written %d" % (name, what, n, len(o.occ)))
            for k in range(min(n, len(o.occ))):
                if e.occ[k] != o.occ[k]:
                    bad.append("%s: %s: occurrence %d %s, written %s" %
                               (name, what, k, e.occ[k], o.occ[k]))
                    break
    if missing > allowed:
        bad.append("%s: %d events missing, the report accounts for %d" %
                   (name, missing, allowed))
    for o in out:
        if not o.seen:
            bad.append("%s: %s: not in the input" % (name, o.key or o.alt))
    return bad


def self_test(inp_path):
    """The comparison can fail: a changed summary, start and a dropped
    event are each caught."""
    inp = events(inp_path)
    out = events(inp_path)
    out[0].summary += " (changed)"
    assert compare("self", inp, out, 0), "changed summary not caught"
    out = events(inp_path)
    out[0].start = out[0].start + datetime.timedelta(hours=1) \
        if isinstance(out[0].start, datetime.datetime) \
        else out[0].start + datetime.timedelta(days=1)
    assert compare("self", inp, out, 0), "changed start not caught"
    assert compare("self", inp, events(inp_path)[1:], 0) or \
        len(inp) == 0, "missing event not caught"
    out = events(inp_path)
    for o in out:
        if o.occ:
            o.occ[-1] += datetime.timedelta(days=7)
            assert compare("self", inp, out, 0), "RRULE change not caught"
            break
    assert not compare("self", inp, events(inp_path), 0), "same differs"


def main():
    pstdedup = os.environ.get("PSTDEDUP")
    corpus = os.environ.get("PSTDEDUP_CORPUS")
    if not pstdedup:
        print("corpus-ics: PSTDEDUP not set")
        return 2
    icsdir = os.path.join(corpus or "", "ics")
    if not corpus or not os.path.isdir(icsdir):
        print("corpus-ics: no corpus ics/ directory: skipped")
        return SKIP
    names = sorted(n for n in os.listdir(icsdir) if n.endswith(".ics"))
    if not names:
        print("corpus-ics: %s: no .ics files: skipped" % icsdir)
        return SKIP
    tmp = tempfile.mkdtemp(prefix="corpus-ics.")
    bad = []
    notes = []
    nev = 0
    try:
        for n in names:
            src = os.path.join(icsdir, n)
            dst = os.path.join(tmp, "in.ics")
            clean = os.path.join(tmp, "in-clean.ics")
            rep = os.path.join(tmp, "r.json")
            shutil.copyfile(src, dst)
            for p in (clean, rep):
                if os.path.exists(p):
                    os.remove(p)
            r = subprocess.run([pstdedup, "-R", "r.json", "in.ics"],
                               cwd=tmp, capture_output=True, text=True,
                               timeout=300)
            if r.returncode not in (0, 3):
                bad.append("%s: exit %d: %s" % (n, r.returncode,
                                                r.stderr.strip()))
                continue
            if r.returncode == 3 and "skipped: " not in r.stderr and \
                    "degraded: " not in r.stderr:
                bad.append("%s: exit 3 without a reason: %s" %
                           (n, r.stderr.strip()))
            with open(rep) as fp:
                t = json.load(fp)["totals"]
            inp = events(dst, repair=True)
            perr = []
            out = events(clean, bad=perr) if os.path.exists(clean) else []
            bad.extend("%s: %s" % (n, e) for e in perr)
            nev += len(inp)
            diffs = compare(n, inp, out, t["skipped"] + t["removed"],
                            notes)
            # pstdedup's own output read back is written the same.
            if os.path.exists(clean):
                again = os.path.join(tmp, "in-clean-clean.ics")
                if os.path.exists(again):
                    os.remove(again)
                r = subprocess.run([pstdedup, "-q", "in-clean.ics"],
                                   cwd=tmp, capture_output=True, text=True,
                                   timeout=300)
                with open(clean, "rb") as a:
                    ta = a.read()
                tb = None
                if os.path.exists(again):
                    with open(again, "rb") as b:
                        tb = b.read()
                if r.returncode != 0 or ta != tb:
                    diffs.append("%s: its output read back is written "
                                 "differently (exit %d)" %
                                 (n, r.returncode))
            bad.extend(diffs)
            print("%s %s: %d events in, %d out, %d skipped, %d removed" %
                  ("not ok" if diffs else "ok", n, len(inp), len(out),
                   t["skipped"], t["removed"]))
        # The checks can fail (on a file with a series).
        self_test(os.path.join(icsdir, max(names, key=lambda n: (
            "RRULE" in open(os.path.join(icsdir, n), errors="replace")
            .read(), -len(n)))))
    finally:
        shutil.rmtree(tmp)
    nrrule = notes.count("rrule")
    notes = [b for b in notes if b != "rrule"]
    for b in notes:
        print("note " + b)
    for b in bad:
        print("FAIL " + b)
    print("corpus-ics: %d files, %d events (%d series' RRULEs expanded), "
          "%d problems, %d tolerated (icalendar %s)" %
          (len(names), nev, nrrule, len(bad), len(notes),
           icalendar.__version__))
    if nrrule == 0:
        print("FAIL no RRULE compared")
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
