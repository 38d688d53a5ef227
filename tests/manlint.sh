#!/bin/sh
# manlint.sh: lint man/pstdedup.1 and check it against pstdedup --help.
srcdir=${TEST_SRCDIR:-$(dirname "$0")}
man=$srcdir/../man/pstdedup.1
status=0

if [ ! -s "$man" ]; then
	echo "manlint: $man: missing or empty"
	exit 1
fi

# groff exits 0 on warnings, so any output is a failure. mandoc's
# notes about a stale mandoc.db depend on the machine, not the page.
if command -v mandoc >/dev/null 2>&1; then
	out=$(mandoc -T lint -W style "$man" 2>&1 | grep -v 'mandoc\.db')
elif command -v groff >/dev/null 2>&1; then
	out=$(groff -mdoc -ww -z "$man" 2>&1)
else
	echo "manlint: neither mandoc nor groff is installed"
	exit 77
fi
if [ -n "$out" ]; then
	echo "$out"
	status=1
fi

if [ -z "$PSTDEDUP" ] || [ ! -x "$PSTDEDUP" ]; then
	echo "manlint: PSTDEDUP not set: options not compared"
	exit $status
fi
help=$("$PSTDEDUP" --help) || {
	echo "manlint: $PSTDEDUP --help failed"
	exit 1
}

# Every long option of --help is described, and nothing more.
helplongs=$(printf '%s\n' "$help" | grep -o -- '--[a-z][a-z-]*' | sort -u)
manlongs=$(grep -o 'Fl \\-[a-z][a-z-]*' "$man" | sed 's/Fl \\-/--/' |
    sort -u)
for o in $helplongs; do
	printf '%s\n' "$manlongs" | grep -qx -- "$o" || {
		echo "manlint: $o is in --help but not in the man page"
		status=1
	}
done
for o in $manlongs; do
	printf '%s\n' "$helplongs" | grep -qx -- "$o" || {
		echo "manlint: $o is in the man page but not in --help"
		status=1
	}
done

# The synopsis names the same short options as the usage line.
usage=$(printf '%s\n' "$help" | sed -n '1,/file\.pst$/p' |
    sed 's/--[a-z][a-z-]*//g' | grep -o -- '-[A-Za-z]*' | sed 's/^-//' | fold -w1 | sort | tr -d '\n')
synopsis=$(sed -n '/^\.Sh SYNOPSIS/,/^\.Sh DESCRIPTION/p' "$man" |
    sed -n 's/^\.Op Fl \([A-Za-z]*\).*/\1/p' | fold -w1 | sort | tr -d '\n')
if [ "$usage" != "$synopsis" ]; then
	echo "manlint: usage options '$usage' differ from SYNOPSIS '$synopsis'"
	status=1
fi
exit $status
