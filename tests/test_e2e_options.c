/* test_e2e_options.c: pstdedup options on the grouping fixture:
 * policies, --match-location, deleted items, folders, dry run. */
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

/* Survivors by creator for a policy; the same groups otherwise. */
static void
check_policy(const char *const *args, const char *vendor, const char *lunch,
    const char *planning, const char *allhands, const char *budget,
    const char *weekly)
{
	struct egroup g[NGROUPS];
	const char *others[4];
	const char *all[][4] = {
		{ SYNC, CRA, NULL },
		{ SYNC, ALEX, NULL },
		{ ALEX, SYNC, NULL },
		{ SYNC, CRA, NULL },
		{ CRA, SYNC, ALEX, NULL },
		{ ALEX, SYNC, NULL },
	};
	const char *keep[NGROUPS] = { vendor, lunch, planning, budget,
	    allhands, weekly };
	struct e2e e;
	size_t i, j, k;

	for (i = 0; i < NGROUPS; i++) {
		g[i] = default_groups[i];
		g[i].kept = keep[i];
		memset(g[i].others, 0, sizeof g[i].others);
		for (j = k = 0; all[i][j] != NULL; j++)
			if (strcmp(all[i][j], keep[i]) != 0)
				others[k++] = all[i][j];
		cr_assert_eq(k, count_strs(default_groups[i].others));
		memcpy(g[i].others, others, k * sizeof *others);
	}
	e2e_setup(&e);
	E2E_RUN(&e, "-q", args[0], args[1], args[2]);
	cr_assert_eq(e.r.status, 0, "%s %s: status %d: %s", args[0],
	    args[1] ? args[1] : "", e.r.status, e.r.err);
	check_totals(e.rep, 22, 16, 5, 4, 2, 1, 1);
	check_groups(e.rep, g, NGROUPS);
	check_no_duplicate(e.clean);
	check_uids(e.clean, NULL);
	check_uids(e.removed, e.clean);
	cr_assert_eq(count_events(e.clean, 0), 16);
	cr_assert_eq(count_events(e.removed, 0), 5);
	e2e_free(&e);
}

Test(e2e, keep_oldest)
{
	check_policy((const char *[]){ "-k", "oldest", NULL }, SYNC, ALEX,
	    ALEX, ALEX, SYNC, ALEX);
}

Test(e2e, keep_newest)
{
	check_policy((const char *[]){ "--keep=newest", NULL, NULL }, CRA,
	    SYNC, SYNC, CRA, CRA, SYNC);
}

Test(e2e, keep_complete_explicitly)
{
	check_policy((const char *[]){ "-k", "complete", NULL }, SYNC, SYNC,
	    ALEX, CRA, SYNC, ALEX);
}

Test(e2e, avoid_repair_flips_the_triple)
{
	check_policy((const char *[]){ "--avoid", "Calendar Repair", NULL },
	    SYNC, SYNC, ALEX, SYNC, SYNC, ALEX);
}

Test(e2e, prefer_repair_flips_the_pair)
{
	check_policy((const char *[]){ "-p", "Repair", NULL }, CRA, SYNC,
	    ALEX, CRA, CRA, ALEX);
}

Test(e2e, match_location_splits_the_pair)
{
	struct egroup g[NGROUPS - 1];
	struct e2e e;
	size_t i, k = 0;

	for (i = 0; i < NGROUPS; i++)
		if (strcmp(default_groups[i].subject, "Quarterly planning"))
			g[k++] = default_groups[i];
	e2e_setup(&e);
	E2E_RUN(&e, "-q", "-L");
	cr_assert_eq(e.r.status, 0, "status %d: %s", e.r.status, e.r.err);
	check_totals(e.rep, 22, 17, 4, 3, 2, 1, 1);
	check_groups(e.rep, g, k);
	cr_assert_eq(count_summary(e.clean, "Quarterly planning"), 2);
	cr_assert_eq(count_summary(e.removed, "Quarterly planning"), 0);
	cr_assert_eq(count_events(e.removed, 0), 4);
	e2e_free(&e);
}

Test(e2e, deleted_items_left_out_then_included)
{
	struct e2e e;

	e2e_setup(&e);
	E2E_RUN(&e, "-v");
	cr_assert_eq(e.r.status, 0, "status %d: %s", e.r.status, e.r.err);
	cr_assert_not_null(strstr(e.r.err, "1 left out"), "%s", e.r.err);
	cr_assert_not_null(strstr(e.r.err, "-a includes them"), "%s",
	    e.r.err);
	cr_assert_not_null(strstr(e.r.err, "skipped: meeting request"), "%s",
	    e.r.err);
	cr_assert_eq(count_summary(e.clean, "Old dentist appointment"), 0);
	cr_assert_eq(tu_json_num(tu_json_get(e.rep, "totals"), "left_out"), 1);
	e2e_free(&e);

	e2e_setup(&e);
	E2E_RUN(&e, "-q", "--all-folders");
	cr_assert_eq(e.r.status, 0, "status %d: %s", e.r.status, e.r.err);
	check_totals(e.rep, 23, 17, 5, 4, 2, 1, 0);
	check_groups(e.rep, default_groups, NGROUPS);
	cr_assert_eq(count_summary(e.clean, "Old dentist appointment"), 1);
	cr_assert_eq(count_events(e.clean, 0), 17);
	e2e_free(&e);
}

Test(e2e, folder_option_restricts)
{
	struct e2e e;
	icalcomponent *ev;

	e2e_setup(&e);
	E2E_RUN(&e, "-q", "-F", "Team");
	cr_assert_eq(e.r.status, 0, "status %d: %s", e.r.status, e.r.err);
	check_totals(e.rep, 1, 1, 0, 0, 0, 0, 21);
	cr_assert_eq(json_array_size(tu_json_arr(e.rep, "groups")), 0);
	cr_assert_eq(count_events(e.clean, 0), 1);
	ev = tu_ics_event(e.clean, "Team offsite", 0);
	cr_assert(icalcomponent_get_dtstart(ev).is_date);
	cr_assert_str_eq(icaltime_as_ical_string(icalcomponent_get_dtend(ev)),
	    "20240628", "a two-day all-day event");
	e2e_free(&e);

	e2e_setup(&e);
	E2E_RUN(&e, "-q", "--folder=" CALENDAR);
	cr_assert_eq(e.r.status, 0, "status %d: %s", e.r.status, e.r.err);
	check_totals(e.rep, 21, 15, 5, 4, 2, 1, 2);
	check_groups(e.rep, default_groups, NGROUPS);
	cr_assert_eq(count_summary(e.clean, "Team offsite"), 0);
	e2e_free(&e);

	e2e_setup(&e);
	E2E_RUN(&e, "-q", "-F", "No such calendar");
	cr_assert_eq(e.r.status, 64, "status %d: %s", e.r.status, e.r.err);
	cr_assert_null(e.clean);
	cr_assert_null(e.rep);
	e2e_free(&e);
}

Test(e2e, list_folders)
{
	struct { const char *path; int appts, other; const char *cal; }
	    want[] = {
		{ "/Top of Personal Folders/Deleted Items", 1, 0, "no" },
		{ CALENDAR, 20, 1, "yes" },
		{ CALENDAR "/Team", 1, 0, "yes" },
	};
	char cal[8], path[256];
	int appts, other, seen[3] = { 0 }, n, lines = 0;
	const char *line;
	struct e2e e;
	size_t i;

	e2e_setup(&e);
	e2e_exec(&e, "-l", (char *)NULL);
	cr_assert_eq(e.r.status, 0, "status %d: %s", e.r.status, e.r.err);
	cr_assert_eq(tu_count_entries(e.dir), 1, "-l wrote a file");
	/* The folder table ends at the first empty line; who created
	 * and modified the items follows, per folder. */
	for (line = strchr(e.r.out, '\n'); line != NULL && line[1] != '\0' &&
	    line[1] != '\n'; line = strchr(line + 1, '\n')) {
		cr_assert_eq(sscanf(line + 1, "%d %d %7s %n", &appts, &other,
		    cal, &n), 3, "bad line: %s", line + 1);
		cr_assert_eq(sscanf(line + 1 + n, "%255[^\n]", path), 1);
		lines++;
		for (i = 0; i < 3; i++)
			if (strcmp(path, want[i].path) == 0)
				break;
		cr_assert_lt(i, 3, "unexpected folder %s", path);
		cr_assert_eq(appts, want[i].appts, "%s", path);
		cr_assert_eq(other, want[i].other, "%s", path);
		cr_assert_str_eq(cal, want[i].cal, "%s", path);
		seen[i]++;
	}
	cr_assert_eq(lines, 3, "%s", e.r.out);
	cr_assert(seen[0] == 1 && seen[1] == 1 && seen[2] == 1);
	e2e_free(&e);
}

Test(e2e, dry_run_writes_nothing)
{
	struct e2e e;

	e2e_setup(&e);
	e2e_exec(&e, "-n", (char *)NULL);
	cr_assert_eq(e.r.status, 0, "status %d: %s", e.r.status, e.r.err);
	cr_assert_eq(tu_count_entries(e.dir), 1, "a dry run wrote a file");
	cr_assert_not_null(strstr(e.r.err, "5 removed"), "%s", e.r.err);
	e2e_free(&e);

	/* The report is still written when asked for. */
	e2e_setup(&e);
	e2e_exec(&e, "--dry-run", "-R", "r.json", (char *)NULL);
	cr_assert_eq(e.r.status, 0, "status %d: %s", e.r.status, e.r.err);
	cr_assert_eq(tu_count_entries(e.dir), 2);
	cr_assert_null(e.clean);
	check_totals(e.rep, 22, 16, 5, 4, 2, 1, 1);
	check_groups(e.rep, default_groups, NGROUPS);
	e2e_free(&e);
}
