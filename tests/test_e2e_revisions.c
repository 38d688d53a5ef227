/* test_e2e_revisions.c: revisions on the grouping fixture: rules
 * decide, undecided conflicts flagged; reports and UIDs. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <ctype.h>
#include <dirent.h>
#include <libical/ical.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "testutil.h"
#include "e2e_util.h"

/* ---- revisions, conflicts and review (revisions.ics) -------------------- */

/* The report's group whose kept copy has this subject. */
static const json_t *
group_by_subject(const json_t *rep, const char *subject)
{
	const json_t *groups = tu_json_arr(rep, "groups");
	size_t i;

	for (i = 0; i < json_array_size(groups); i++)
		if (strcmp(tu_json_str(tu_json_get(json_array_get(groups, i),
		    "kept"), "subject"), subject) == 0)
			return json_array_get(groups, i);
	cr_assert_fail("no group \"%s\"", subject);
	return NULL;
}

#define REV_GOID(n)	GOID n

Test(e2e, revisions_decide_and_undecided_is_flagged)
{
	const json_t *g, *t, *c;
	icalcomponent *ev, *a, *b;
	struct e2e e;

	e2e_setup_with(&e, "revisions.ics");
	E2E_RUN(&e, "--avoid", "Quest Sync");
	cr_assert_eq(e.r.status, 0, "status %d: %s", e.r.status, e.r.err);
	t = tu_json_get(e.rep, "totals");
	cr_assert_eq(tu_json_num(t, "read"), 8);
	cr_assert_eq(tu_json_num(t, "kept"), 5);
	cr_assert_eq(tu_json_num(t, "removed"), 3);
	cr_assert_eq(tu_json_num(t, "conflicts"), 3);
	cr_assert_eq(tu_json_num(t, "review"), 1);
	cr_assert_not_null(strstr(e.r.err, ": 1 group needs review by hand"),
	    "%s", e.r.err);

	/* A newer revision beats a fuller stale copy, even --avoid'ed. */
	g = group_by_subject(e.rep, "Design review");
	cr_assert_str_eq(tu_json_str(g, "kind"), "same-meeting");
	cr_assert_str_eq(tu_json_str(g, "rule"), "revision");
	cr_assert_not(tu_json_bool(g, "review"));
	cr_assert_not_null(strstr(tu_json_str(g, "why"), "sequence 2 over 1"));
	cr_assert_not_null(strstr(tu_json_str(g, "why"), "although --avoid"),
	    "%s", tu_json_str(g, "why"));
	cr_assert_str_eq(tu_json_str(tu_json_get(g, "kept"), "creator"), SYNC);
	cr_assert_eq(json_array_size(tu_json_arr(g, "removed")), 1);
	c = json_array_get(tu_json_arr(g, "removed"), 0);
	cr_assert_str_eq(tu_json_str(c, "creator"), CRA);
	cr_assert_not(tu_json_bool(c, "older_revision"));
	cr_assert_str_eq(tu_json_str(c, "new_uid"), "pstdedup-removed-200024-"
	    REV_GOID("11"));
	ev = tu_ics_event(e.clean, "Design review", 0);
	cr_assert_eq(count_summary(e.clean, "Design review"), 1);
	cr_assert_str_eq(icalcomponent_get_uid(ev), REV_GOID("11"));
	cr_assert_null(icalcomponent_get_first_property(ev,
	    ICAL_DESCRIPTION_PROPERTY), "the stale agenda survived");
	cr_assert_eq(icalcomponent_get_sequence(ev), 2);
	ev = tu_ics_event(e.removed, "Design review", 0);
	cr_assert_str_eq(icalcomponent_get_description(ev),
	    "Agenda as first sent.");

	/* A conflict resolved by sequence: the moved meeting stays, the
	 * old time goes as an older revision. */
	g = group_by_subject(e.rep, "Budget moved");
	cr_assert_str_eq(tu_json_str(g, "kind"), "conflict");
	cr_assert_str_eq(tu_json_str(g, "rule"), "revision");
	cr_assert_not(tu_json_bool(g, "review"));
	cr_assert_str_eq(tu_json_str(tu_json_get(g, "kept"), "start"),
	    "2024-07-11T11:00:00Z");
	cr_assert_eq(json_array_size(tu_json_arr(g, "also_kept")), 0);
	c = json_array_get(tu_json_arr(g, "removed"), 0);
	cr_assert(tu_json_bool(c, "older_revision"));
	cr_assert_str_eq(tu_json_str(c, "start"), "2024-07-11T09:00:00Z");
	cr_assert_eq(count_summary(e.clean, "Budget moved"), 1);
	ev = tu_ics_event(e.clean, "Budget moved", 0);
	cr_assert_eq(tu_utc_of(icalcomponent_get_dtstart(ev)), 1720695600,
	    "11:00Z");
	cr_assert_str_eq(icalcomponent_get_uid(ev), REV_GOID("12"));

	/* Same sequence: the later sequence time decides. */
	g = group_by_subject(e.rep, "Sprint demo");
	cr_assert_str_eq(tu_json_str(g, "rule"), "revision");
	cr_assert_not_null(strstr(tu_json_str(g, "why"), "sequence time"));
	cr_assert_str_eq(tu_json_str(tu_json_get(g, "kept"), "start"),
	    "2024-07-15T13:00:00Z");
	cr_assert_eq(count_summary(e.clean, "Sprint demo"), 1);

	/* Undecidable: both kept, two distinct UIDs, flagged, first. */
	g = json_array_get(tu_json_arr(e.rep, "groups"), 0);
	cr_assert_str_eq(tu_json_str(tu_json_get(g, "kept"), "subject"),
	    "Town hall");
	cr_assert(tu_json_bool(g, "review"));
	cr_assert_str_eq(tu_json_str(g, "rule"), "undecided");
	cr_assert_str_eq(tu_json_str(g, "kind"), "conflict");
	cr_assert_eq(json_array_size(tu_json_arr(g, "removed")), 0);
	cr_assert_str_eq(tu_json_str(tu_json_get(g, "kept"), "creator"), CRA,
	    "--avoid ranks which copy keeps the UID");
	c = json_array_get(tu_json_arr(g, "also_kept"), 0);
	cr_assert_str_eq(tu_json_str(c, "creator"), SYNC);
	cr_assert_eq(count_summary(e.clean, "Town hall"), 2);
	for (a = icalcomponent_get_first_component(e.clean,
	    ICAL_VEVENT_COMPONENT); strcmp(icalcomponent_get_summary(a),
	    "Town hall") != 0; a = icalcomponent_get_next_component(e.clean,
	    ICAL_VEVENT_COMPONENT))
		continue;
	b = icalcomponent_get_next_component(e.clean, ICAL_VEVENT_COMPONENT);
	cr_assert_str_eq(icalcomponent_get_summary(b), "Town hall");
	cr_assert_str_neq(icalcomponent_get_uid(a), icalcomponent_get_uid(b));
	/* The CRA copy (15:00) keeps the GOID; the other is new. */
	if (tu_utc_of(icalcomponent_get_dtstart(a)) != 1720796400) {
		ev = a;
		a = b;
		b = ev;
	}
	cr_assert_eq(tu_utc_of(icalcomponent_get_dtstart(a)), 1720796400);
	cr_assert_str_eq(icalcomponent_get_uid(a), REV_GOID("13"));
	cr_assert_str_eq(icalcomponent_get_uid(b), tu_json_str(c, "new_uid"));
	cr_assert_str_eq(icalcomponent_get_uid(b),
	    "pstdedup-copy-2000a4-" REV_GOID("13"));

	check_uids(e.clean, NULL);
	check_uids(e.removed, e.clean);
	cr_assert_eq(count_events(e.clean, 0), 5);
	cr_assert_eq(count_events(e.removed, 0), 3);
	e2e_free(&e);

	/* Without --avoid the policy ranks: the older copy keeps it. */
	e2e_setup_with(&e, "revisions.ics");
	E2E_RUN(&e, "-q");
	cr_assert_eq(e.r.status, 0, "status %d: %s", e.r.status, e.r.err);
	g = json_array_get(tu_json_arr(e.rep, "groups"), 0);
	cr_assert(tu_json_bool(g, "review"));
	cr_assert_str_eq(tu_json_str(tu_json_get(g, "kept"), "creator"), SYNC);
	cr_assert_not_null(strstr(tu_json_str(g, "why"),
	    "ranked first by policy"));
	g = group_by_subject(e.rep, "Design review");
	cr_assert_null(strstr(tu_json_str(g, "why"), "--avoid"));
	e2e_free(&e);
}

Test(e2e, text_and_csv_reports_say_rule_and_review)
{
	struct e2e e;
	char *path, *text;

	e2e_setup_with(&e, "revisions.ics");
	e2e_exec(&e, "-q", "-o", "clean.ics", "-R", "r.txt", (char *)NULL);
	cr_assert_eq(e.r.status, 0, "status %d: %s", e.r.status, e.r.err);
	path = tu_path(e.dir, "r.txt");
	text = tu_slurp(path, NULL);
	cr_assert_not_null(text);
	cr_assert(strstr(text, "\ngroup 1: conflict, NEEDS REVIEW BY HAND") !=
	    NULL, "%s", text);
	cr_assert_not_null(strstr(text, "\n  rule     revision: \"newer "
	    "revision: sequence 1 over 0\"\n"), "%s", text);
	cr_assert_not_null(strstr(text, "\n  older    0x"), "%s", text);
	cr_assert_not_null(strstr(text, "\nto review               1"));
	free(text);
	free(path);
	e2e_free(&e);

	e2e_setup_with(&e, "revisions.ics");
	e2e_exec(&e, "-q", "-o", "clean.ics", "-R", "r.csv", (char *)NULL);
	cr_assert_eq(e.r.status, 0, "status %d: %s", e.r.status, e.r.err);
	path = tu_path(e.dir, "r.csv");
	text = tu_slurp(path, NULL);
	cr_assert_not_null(text);
	cr_assert_not_null(strstr(text, ",rule,review,why,new_uid\r\n"));
	cr_assert_not_null(strstr(text, "\r\nkept,conflict,1,"), "%s", text);
	cr_assert_not_null(strstr(text, ",undecided,yes,"), "%s", text);
	cr_assert_not_null(strstr(text, "\r\nolder,conflict,"), "%s", text);
	free(text);
	free(path);
	e2e_free(&e);
}

/* The invariant on every fixture that converts: no two masters of a
 * written file share a UID, and no removed copy has a UID of the clean
 * file, with and without -a. */
Test(e2e, no_file_has_two_masters_with_one_uid)
{
	const char *src = tu_env("TEST_SRCDIR");
	struct dirent *de;
	struct e2e e;
	char *data;
	DIR *d;
	size_t n = 0, len;
	int all;

	if (src == NULL)
		cr_skip_test("TEST_SRCDIR not set (run through make check)");
	data = tu_path(src, "data");
	cr_assert_not_null(d = opendir(data));
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 5 || strcmp(de->d_name + len - 4, ".ics") != 0 ||
		    strncmp(de->d_name, "bad-", 4) == 0)
			continue;
		for (all = 0; all < 2; all++) {
			e2e_setup_with(&e, de->d_name);
			if (all)
				E2E_RUN(&e, "-q", "-a");
			else
				E2E_RUN(&e, "-q");
			cr_assert(e.r.status == 0 || e.r.status == 3,
			    "%s: status %d: %s", de->d_name, e.r.status,
			    e.r.err);
			if (e.clean != NULL)
				check_uids(e.clean, NULL);
			if (e.removed != NULL)
				check_uids(e.removed, e.clean);
			e2e_free(&e);
		}
		n++;
	}
	closedir(d);
	free(data);
	cr_assert_geq(n, 10, "only %zu fixtures", n);
}
