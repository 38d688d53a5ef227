/* badinput_util.c: helpers shared by the badinput test programs
 * (test_badinput*.c), moved out of test_badinput.c. */
#include <sys/resource.h>
#include <sys/stat.h>

#include <criterion/criterion.h>
#include <libical/ical.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ft.h"
#include "le.h"
#include "pstwrite.h"
#include "testutil.h"
#include "badinput_util.h"

/* Every stderr line is one "pstdedup: " message naming name. */
void
check_messages(const char *err, const char *name)
{
	const char	*p, *nl;
	char		*line;

	if (*err != '\0')
		cr_assert_eq(err[strlen(err) - 1], '\n', "%s", err);
	for (p = err; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		line = strndup(p, nl - p);
		cr_assert(strncmp(line, "pstdedup: ", 10) == 0,
		    "bad message line \"%s\"", line);
		if (name != NULL)
			cr_assert_not_null(strstr(line, name),
			    "message does not name %s: \"%s\"", name, line);
		free(line);
	}
}

/* The JSON report dir/name; fails when there is none. */
json_t *
report(const char *dir, const char *name)
{
	json_t	*json;
	char	*path;

	path = tu_path(dir, name);
	json = tu_json_load(path);
	cr_assert_not_null(json, "no report %s", path);
	free(path);
	return json;
}

/* The report's totals; they must add up. */
void
check_totals(const char *dir, const char *name, struct totals *t)
{
	json_t	*json = report(dir, name);

	t->read = tu_json_total(json, "read");
	t->kept = tu_json_total(json, "kept");
	t->removed = tu_json_total(json, "removed");
	t->skipped = tu_json_total(json, "skipped");
	cr_assert(t->read >= 0 && t->kept >= 0 && t->removed >= 0 &&
	    t->skipped >= 0, "totals missing in %s", name);
	cr_assert_eq(t->read, t->kept + t->removed + t->skipped,
	    "counts do not add up: %ld != %ld + %ld + %ld", t->read, t->kept,
	    t->removed, t->skipped);
	/* Degraded items are kept ones written with less. */
	cr_assert(tu_json_total(json, "degraded") >= 0 &&
	    tu_json_total(json, "degraded") <= t->kept, "degraded %ld",
	    tu_json_total(json, "degraded"));
	json_decref(json);
}

/* Whether s[0..len) is valid UTF-8 (no overlongs, surrogates or
 * values past U+10FFFF). */
int
valid_utf8(const unsigned char *s, size_t len)
{
	size_t		i = 0, n, k;
	uint32_t	c;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xE0) == 0xC0) {
			n = 1;
			c = s[i] & 0x1F;
		} else if ((s[i] & 0xF0) == 0xE0) {
			n = 2;
			c = s[i] & 0x0F;
		} else if ((s[i] & 0xF8) == 0xF0) {
			n = 3;
			c = s[i] & 0x07;
		} else
			return 0;
		for (k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
				return 0;
			c = c << 6 | (s[i + k] & 0x3F);
		}
		if ((n == 1 && c < 0x80) || (n == 2 && c < 0x800) ||
		    (n == 3 && c < 0x10000) || c > 0x10FFFF ||
		    (c >= 0xD800 && c <= 0xDFFF))
			return 0;
		i += n + 1;
	}
	return 1;
}

/* An output calendar: valid UTF-8, CRLF lines without other control
 * characters, parsed by libical without errors. Returns its VEVENTs
 * (the parsed calendar in *calp when not NULL). */
int
check_ics(const char *dir, const char *name, icalcomponent **calp)
{
	icalcomponent	*cal;
	char		*path, *text;
	size_t		 len, i;
	int		 n;

	path = tu_path(dir, name);
	text = tu_slurp(path, &len);
	cr_assert_not_null(text, "no calendar %s", path);
	cr_assert(valid_utf8((unsigned char *)text, len),
	    "%s is not valid UTF-8", path);
	for (i = 0; i < len; i++) {
		if (text[i] == '\r') {
			cr_assert(i + 1 < len && text[i + 1] == '\n',
			    "bare CR at %zu", i);
			continue;
		}
		if (text[i] == '\n') {
			cr_assert(i > 0 && text[i - 1] == '\r',
			    "bare LF at %zu", i);
			continue;
		}
		cr_assert((unsigned char)text[i] >= 0x20 && text[i] != 0x7F,
		    "control character 0x%02x at %zu", (unsigned char)text[i],
		    i);
	}
	cal = tu_ics_parse(text, path);
	n = icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT);
	if (calp != NULL)
		*calp = cal;
	else
		icalcomponent_free(cal);
	free(text);
	free(path);
	return n;
}

/* A fresh directory for a test's in.pst, whose path goes to *pst;
 * skips the test without $PSTDEDUP. */
char *
in_pst_dir(char **pst)
{
	char	*dir;

	tu_pstdedup();
	dir = tu_tmpdir();
	*pst = tu_path(dir, "in.pst");
	return dir;
}

/* The usual run on dir/in.pst: a calendar and a JSON report, and
 * messages of the documented form. */
void
run_in(struct tu_run *r, const char *dir)
{
	tu_pstdedup_run(r, dir, "-o", "o.ics", "-R", "r.json", "in.pst", NULL);
	check_messages(r->err, "in.pst");
}
