#!/bin/sh
# same-output.sh: run two pstdedup commands over the same inputs and
# compare what they write: every file (a clean and a removed .ics per
# folder, the JSON report), the exit status and the summary, with and
# without -a. Lines
# naming the reader (matching $SAME_IGNORE) are left out of the compare.
#
# usage: tests/same-output.sh "CMD_A" "CMD_B" input.pst|fixture.ics ...
#   CMD_A, CMD_B: a pstdedup binary plus options, e.g.
#     "./pstdedup --reader libpff" "./pstdedup --reader pst"
#   A .ics input is first made into a PST by $MKPST (default ./mkpst).
# Exit 0 when every input gave the same output, 1 otherwise.
set -u

[ $# -ge 3 ] || { echo "usage: $0 CMD_A CMD_B input..." >&2; exit 64; }
# Commands run inside a scratch directory: make a relative binary absolute.
abs() {
	case $1 in
	/*|"") echo "$1" ;;
	*/*) echo "$(pwd)/$1" ;;
	*) echo "$1" ;;
	esac
}
a=$(abs "$1")
b=$(abs "$2")
shift 2
mkpst=$(abs "${MKPST:-./mkpst}")
ignore=${SAME_IGNORE:-reader}
work=$(mktemp -d "${TMPDIR:-/tmp}/same-output.XXXXXX") || exit 70
trap 'rm -rf "$work"' EXIT
fail=0
n=0

# run SIDE CMD FLAGS: outputs into $work/SIDE, input as in.pst
run() {
	rm -rf "$work/$1"
	mkdir "$work/$1"
	ln -s "$input" "$work/$1/in.pst"
	(cd "$work/$1" && $2 $3 -o clean.ics -r removed.ics -R report.json \
	    in.pst >out.txt 2>err.txt; echo $? >status)
	for f in "$work/$1"/*; do
		case $f in */in.pst|*/status) continue ;; esac
		grep -v -- "$ignore" "$f" >"$f.cmp"
	done
}

for arg; do
	input=$arg
	case $arg in
	*.ics)
		input=$work/$(basename "$arg" .ics).pst
		if ! $mkpst -o "$input" "$arg" >/dev/null 2>&1; then
			echo "SKIP $arg: mkpst failed"
			continue
		fi
		;;
	esac
	case $input in /*) ;; *) input=$(pwd)/$input ;; esac
	for flags in "" "-a"; do
		n=$((n + 1))
		run A "$a" "$flags"
		run B "$b" "$flags"
		bad=""
		files=$( (cd "$work/A" && ls; cd "$work/B" && ls) |
		    grep -e '\.cmp$' -e '^status$' | sort -u)
		# Folder file names may hold spaces: split on newlines.
		oifs=$IFS
		IFS='
'
		for f in $files; do
			cmp -s "$work/A/$f" "$work/B/$f" ||
			    bad="$bad${bad:+
}${f%.cmp}"
		done
		if [ -n "$bad" ]; then
			fail=1
			echo "DIFF $arg ${flags:-(no -a)}:" $bad
			for f in $bad; do
				[ "$f" = status ] || f=$f.cmp
				diff "$work/A/$f" "$work/B/$f" |
				    head -${SAME_DIFFLINES:-10}
			done
			IFS=$oifs
		else
			IFS=$oifs
			echo "same $arg ${flags:-(no -a)} (exit $(cat \
			    "$work/A/status"); $(echo "$files" |
			    grep -c '\.ics\.cmp$') .ics; $(cat \
			    "$work/B/report.json" \
			    "$work/B/err.txt" 2>/dev/null | grep -h -- "$ignore" |
			    tr '\n' ' '))"
		fi
	done
done
echo "$n runs, $( [ $fail = 0 ] && echo all same || echo some differ)"
exit $fail
