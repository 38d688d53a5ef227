#!/bin/sh
# corpus-ics.sh: every .ics of the corpus through pstdedup, its events
# checked by a second parser: Debian's python3-icalendar (tools/setup),
# not libical. Skipped (77) without python3, the module or the corpus.
for py in ${PYTHON3:-} python3 /usr/bin/python3; do
	if command -v "$py" >/dev/null 2>&1 &&
	    "$py" -c 'import icalendar, dateutil' >/dev/null 2>&1; then
		exec "$py" "${TEST_SRCDIR:-$(dirname "$0")}/corpus-ics.py"
	fi
done
echo "corpus-ics: no python3 with the icalendar module (apt-get install" \
    "python3-icalendar): skipped"
exit 77
