#!/bin/sh
# tests/windows.sh: the Windows exe under wine against the Linux build.
#
# usage: sh tests/windows.sh LINUX_BUILD [EXE]
#   LINUX_BUILD: a build directory with pstdedup and mkpst
#   EXE: the exe (default build-windows/pstdedup.exe beside this tree)
#
# The inputs are tools/same-output's: every fixture (tests/data/*.ics,
# sample/sample.ics) made into a PST by mkpst in two forms (Unicode,
# ANSI with cyclic encoding), the same fixtures as .ics inputs (the
# bad-*.ics among them), an .ics of Olson zones without VTIMEZONE, and
# every PST/OST and ics/*.ics of the corpus ($PSTDEDUP_CORPUS, else
# ../shared/corpus) when it is there. Each is
# run by both programs with -o/-r and -R report.json, in the same
# directory under the same relative names: the exit statuses must be
# equal, every .ics written byte-identical, and the JSON reports
# identical once the path of the input (a Windows path under wine) is
# taken out. Then, under wine alone against Linux: bad inputs (none,
# a directory, a truncated PST, not a PST), an output that cannot be
# written, an existing output (refused with 73, replaced with --force),
# no scratch or temporary file left behind, and a path with spaces and
# non-ASCII characters.
#
# Exit 0 when all agree, 1 when something differs, 77 (skipped) when
# there is no wine64 or no exe, 64 on a usage error.
set -u

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: sh tests/windows.sh LINUX_BUILD [EXE]" >&2
	exit 64
fi
here=$(cd "$(dirname "$0")/.." && pwd) || exit 70
linux=$(cd "$1" && pwd)/pstdedup
mkpst=$(cd "$1" && pwd)/mkpst
exe=${2:-$here/build-windows/pstdedup.exe}
corpus=${PSTDEDUP_CORPUS:-$here/../shared/corpus}
wine=
for w in wine64 /usr/lib/wine/wine64 wine; do
	command -v "$w" >/dev/null 2>&1 && { wine=$(command -v "$w"); break; }
done
if [ -z "$wine" ] || [ ! -f "$exe" ]; then
	echo "windows.sh: SKIP: no wine64 or no $exe"
	exit 77
fi
for p in "$linux" "$mkpst"; do
	[ -x "$p" ] || { echo "windows.sh: no $p" >&2; exit 64; }
done
exe=$(cd "$(dirname "$exe")" && pwd)/$(basename "$exe")

work=$(mktemp -d "${TMPDIR:-/tmp}/windows-sh.XXXXXX") || exit 70
# Our prefix's wineserver ends first, or its files stay.
wineserver=$(dirname "$wine")/wineserver
[ -x "$wineserver" ] || wineserver=$(command -v wineserver || echo true)
trap '"$wineserver" -k >/dev/null 2>&1; "$wineserver" -w >/dev/null 2>&1;
    rm -rf "$work"' EXIT
trap 'exit 70' HUP INT TERM
# A prefix of our own, made once per run (about 8 s); no Mono or Gecko
# installer, no debug chatter. Scratch files go to a directory we watch.
export WINEPREFIX="${WINEPREFIX_PSTDEDUP:-$work/wineprefix}"
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
mkdir -p "$work/tmp" "$work/pst" "$work/mk"
export TMPDIR="$work/tmp"
"$wine" "$exe" --version >/dev/null 2>&1
# wine (the W side): the exe with the arguments; the wineserver stays
# for the next run.
W() {
	"$wine" "$exe" "$@"
}
L() {
	"$linux" "$@"
}

fail=0 n=0 nics=0 njson=0
t0=$(date +%s)

# The fixtures as PSTs, as tools/same-output makes them.
form() {
	sed "1,/^BEGIN:VCALENDAR/{
/^BEGIN:VCALENDAR/a\\
$2
}" "$1"
}
for ics in "$here"/tests/data/*.ics "$here"/sample/sample.ics; do
	base=$(basename "$ics" .ics)
	for f in default ansi-cyclic; do
		if [ $f = default ]; then
			cat "$ics" >"$work/mk/$base.ics"
		else
			form "$ics" 'X-PST-FORMAT:ANSI\
X-PST-CRYPT:CYCLIC' >"$work/mk/$base.ics"
		fi
		"$mkpst" -o "$work/pst/$base-$f.pst" "$work/mk/$base.ics" \
		    >/dev/null 2>&1 || rm -f "$work/pst/$base-$f.pst"
	done
done
# Olson zones named without a VTIMEZONE: the exe takes them from the
# zoneinfo beside it, Linux from the system's.
printf '%s\r\n' BEGIN:VCALENDAR VERSION:2.0 PRODID:-//pstdedup//tests//EN \
    BEGIN:VEVENT UID:olson-1 DTSTAMP:20240101T000000Z SUMMARY:Berlin \
    'DTSTART;TZID=Europe/Berlin:20240701T100000' \
    'DTEND;TZID=Europe/Berlin:20240701T103000' END:VEVENT \
    BEGIN:VEVENT UID:olson-2 DTSTAMP:20240101T000000Z SUMMARY:Sydney \
    'DTSTART;TZID=Australia/Sydney:20240115T140000' \
    'DTEND;TZID=Australia/Sydney:20240115T150000' END:VEVENT \
    END:VCALENDAR >"$work/olson.ics"
{
	ls "$work"/pst/*.pst
	ls "$here"/tests/data/*.ics "$here"/sample/sample.ics "$work/olson.ics"
	if [ -d "$corpus" ]; then
		ls "$corpus"/*.pst "$corpus"/*.ost "$corpus"/ics/*.ics 2>/dev/null
	fi
} >"$work/inputs"

# differ WHAT: note a difference
differ() {
	echo "DIFF $*"
	fail=1
}

# json FILE: the report without the input's path (wine gives the exe
# the same relative names, but an input named by an absolute path is a
# Z:\ path there) and the version
json() {
	sed -e 's/"pstdedup":"[^"]*"/"pstdedup":"VERSION"/' \
	    -e 's/"\(input\|file\|path\)":"[^"]*"/"\1":"PATH"/g' "$1"
}

# compare NAME: the two sides' directories of one run
compare() {
	for s in L W; do
		(cd "$work/$s" && ls) >"$work/$s.ls"
	done
	if ! cmp -s "$work/L.ls" "$work/W.ls"; then
		differ "$1: other files written:" \
		    "$(diff "$work/L.ls" "$work/W.ls" | grep '^[<>]' | tr '\n' ' ')"
		return
	fi
	if [ "$(cat "$work/L/status")" != "$(cat "$work/W/status")" ]; then
		differ "$1: exit status $(cat "$work/L/status") (Linux)," \
		    "$(cat "$work/W/status") (wine)"
		sed 's/^/  Linux: /' "$work/L/stderr" | head -3
		sed 's/^/  wine:  /' "$work/W/stderr" | head -3
	fi
	for f in "$work"/L/*.ics; do
		[ -f "$f" ] || continue
		nics=$((nics + 1))
		cmp -s "$f" "$work/W/${f##*/}" ||
		    differ "$1: ${f##*/} differs"
	done
	if [ -f "$work/L/report.json" ]; then
		njson=$((njson + 1))
		json "$work/L/report.json" >"$work/a"
		json "$work/W/report.json" >"$work/b"
		cmp -s "$work/a" "$work/b" ||
		    differ "$1: report.json differs:" \
		    "$(diff "$work/a" "$work/b" | head -4)"
	fi
}

# both NAME ARGS...: run both sides in fresh directories, compare
both() {
	name=$1
	shift
	rm -rf "$work/L" "$work/W"
	mkdir "$work/L" "$work/W"
	(cd "$work/L" && L "$@" >stdout 2>stderr; echo $? >status)
	(cd "$work/W" && W "$@" >stdout 2>stderr; echo $? >status)
	n=$((n + 1))
	compare "$name"
}

while IFS= read -r input; do
	both "${input##*/}" -o clean.ics -r removed.ics -R report.json \
	    "$input"
done <"$work/inputs"
echo "windows.sh: $n inputs: $nics .ics files and $njson JSON reports" \
    "compared ($(( $(date +%s) - t0 )) s)"

# Bad inputs and outputs: the same exit status on both sides.
sample=$work/pst/sample-default.pst
head -c 20000 "$sample" >"$work/truncated.pst"
printf 'not a pst at all\n' >"$work/notpst.pst"
both "no input" "$work/nonexistent.pst"
both "a directory" "$work/tmp"
both "truncated PST" "$work/truncated.pst"
both "not a PST" "$work/notpst.pst"
both "output in a missing directory" -o "$work/none/x.ics" "$sample"
both "output is a directory" -o "$work/tmp" "$sample"
both "unknown option" --no-such-option "$sample"

# Many inputs (a folder): one after the other in the exe's process.
mkdir -p "$work/many/sub"
cp "$sample" "$work/many/a.pst"
cp "$work/pst/duplicates-ansi-cyclic.pst" "$work/many/sub/b.pst" 2>/dev/null ||
    cp "$sample" "$work/many/sub/b.pst"
cp "$work/notpst.pst" "$work/many/sub/c.pst"
rm -rf "$work/L" "$work/W" && mkdir "$work/L" "$work/W"
(cd "$work/L" && L -j 2 -d out -R sum.json "$work/many" >stdout 2>stderr; echo $? >status)
(cd "$work/W" && W -j 2 -d out -R sum.json "$work/many" >stdout 2>stderr; echo $? >status)
n=$((n + 1))
[ "$(cat "$work/L/status")" = "$(cat "$work/W/status")" ] ||
    differ "a folder of inputs: exit status $(cat "$work/L/status") (Linux), $(cat "$work/W/status") (wine)"
[ "$(cd "$work/L" && find out -type f | sort)" = \
    "$(cd "$work/W" && find out -type f | sort)" ] ||
    differ "a folder of inputs: other files written"
for f in $(cd "$work/L" && find out -type f); do
	cmp -s "$work/L/$f" "$work/W/$f" || differ "a folder of inputs: $f differs"
done
json "$work/L/sum.json" >"$work/a"
json "$work/W/sum.json" >"$work/b"
cmp -s "$work/a" "$work/b" || differ "a folder of inputs: sum.json differs:" \
    "$(diff "$work/a" "$work/b" | head -4)"

# check WHAT EXPECTED GOT
check() {
	n=$((n + 1))
	[ "$2" = "$3" ] || differ "wine: $1: expected $2, got $3"
}

# --force: an existing output is refused without it (73) and left as
# it was, replaced with it; no temporary beside it, no scratch file.
rm -rf "$work/W" && mkdir "$work/W" && cd "$work/W" || exit 70
echo old >out.ics
W -o out.ics "$sample" >/dev/null 2>&1
check "existing output without --force: status" 73 $?
check "existing output without --force: kept" old "$(cat out.ics)"
W --force -o out.ics -R report.json "$sample" >/dev/null 2>&1
check "--force: status" 0 $?
(cd "$work" && mkdir -p L2 && cd L2 && rm -f ./* &&
    L -o out.ics -R report.json "$sample" >/dev/null 2>&1)
cmp -s out.ics "$work/L2/out.ics" ||
    differ "wine: --force: the replaced output is not Linux's output"
check "files left beside the output" "out.ics report.json" "$(ls | tr '\n' ' ' | sed 's/ $//')"
# Standard output is written through a scratch file in TMPDIR.
W -o - "$sample" >stdout.ics 2>/dev/null
check "-o -: status" 0 $?
L -o - "$sample" 2>/dev/null | cmp -s - stdout.ics ||
    differ "wine: -o -: standard output is not Linux's"
# wine-*: wine's own, not ours.
check "scratch files left in TMPDIR" "" "$(ls "$work/tmp" | grep -v '^wine-')"
cd "$work" || exit 70

# A path with spaces and non-ASCII characters, and the default output
# name made from it in the current directory.
dir="$work/Exports of José/Ünïcode ✓"
mkdir -p "$dir"
cp "$sample" "$dir/Jürgen Müller.pst"
rm -rf "$work/L" "$work/W" && mkdir "$work/L" "$work/W"
(cd "$work/L" && L -R report.json "$dir/Jürgen Müller.pst" >stdout 2>stderr; echo $? >status)
(cd "$work/W" && W -R report.json "$dir/Jürgen Müller.pst" >stdout 2>stderr; echo $? >status)
n=$((n + 1))
check "non-ASCII path: output name" "Jürgen Müller-clean.ics" \
    "$(cd "$work/W" && ls ./*.ics 2>/dev/null | sed 's|^\./||' | head -1)"
compare "non-ASCII path"
check "non-ASCII path: input unchanged" "" \
    "$(cmp "$sample" "$dir/Jürgen Müller.pst")"

echo "windows.sh: $n runs under wine and Linux in $(( $(date +%s) - t0 )) s:" \
    "$([ $fail = 0 ] && echo all the same || echo some differ)"
exit $fail
