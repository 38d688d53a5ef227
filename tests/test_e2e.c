/* test_e2e.c: pstdedup on a PST that mkpst builds from grouping.ics. */
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

#define MAXARGS		24
#define FIXTURE		"grouping.ics"
#define CALENDAR	"/Top of Personal Folders/Calendar"
#define GOID		"040000008200E00074C5B7101A82E00800000000A0B1C2D3E4" \
			"F5DA01000000000000000010000000C0FFEE00112233445566" \
			"778899AABB"
#define SYNC		"Quest Sync Agent"
#define CRA		"Calendar Repair Assistant"
#define ALEX		"Alex Example"

/* ---- running pstdedup ------------------------------------------------- */

struct e2e {
	char		*dir;
	char		*pst;
	struct tu_run	 r;
	json_t		*rep;		/* r.json, or NULL */
	icalcomponent	*clean;		/* clean.ics, or NULL */
	icalcomponent	*removed;	/* removed.ics, or NULL */
};

/* STEM.ics and every folder's STEM-FOLDER.ics (one file per folder),
 * as one calendar for the counts; test_folders checks the split. */
static icalcomponent *
load_folders(const char *dir, const char *stem)
{
	icalcomponent *all, *c, *sub;
	struct dirent *de;
	char name[256];
	size_t n = strlen(stem);
	DIR *d;

	snprintf(name, sizeof name, "%s.ics", stem);
	all = tu_ics_load_if(dir, name);
	cr_assert_not_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, stem, n) != 0 || de->d_name[n] != '-')
			continue;
		c = tu_ics_load_if(dir, de->d_name);
		if (all == NULL) {
			all = c;
			continue;
		}
		while ((sub = icalcomponent_get_first_component(c,
		    ICAL_ANY_COMPONENT)) != NULL) {
			icalcomponent_remove_component(c, sub);
			icalcomponent_add_component(all, sub);
		}
		icalcomponent_free(c);
	}
	closedir(d);
	return all;
}

/* Build a fixture into a fresh directory. */
static void
e2e_setup_with(struct e2e *e, const char *fixture)
{
	memset(e, 0, sizeof *e);
	e->dir = tu_tmpdir();
	e->pst = tu_path(e->dir, "g.pst");
	tu_mkpst(fixture, e->pst);
	tu_pstdedup();
}

static void
e2e_setup(struct e2e *e)
{
	e2e_setup_with(e, FIXTURE);
}

/* Run pstdedup in e->dir with the NULL-terminated options, then the PST;
 * load whatever of r.json, clean.ics and removed.ics it wrote. */
static void
e2e_exec(struct e2e *e, ...)
{
	char *args[MAXARGS + 2], *path;
	va_list ap;
	int argc = 0;

	va_start(ap, e);
	while ((args[argc] = va_arg(ap, char *)) != NULL) {
		cr_assert_lt(argc, MAXARGS);
		argc++;
	}
	va_end(ap);
	args[argc++] = (char *)"g.pst";
	args[argc] = NULL;
	tu_pstdedup_runv(&e->r, e->dir, args);
	path = tu_path(e->dir, "r.json");
	e->rep = tu_json_load(path);
	free(path);
	e->clean = load_folders(e->dir, "clean");
	e->removed = load_folders(e->dir, "removed");
}

/* The usual run: report, clean and removed calendars, plus options. */
#define E2E_RUN(e, ...) e2e_exec((e), "-R", "r.json", "-o", "clean.ics", \
	"-r", "removed.ics", __VA_ARGS__, (char *)NULL)

static void
e2e_free(struct e2e *e)
{
	tu_run_free(&e->r);
	json_decref(e->rep);
	if (e->clean != NULL)
		icalcomponent_free(e->clean);
	if (e->removed != NULL)
		icalcomponent_free(e->removed);
	tu_rmdir(e->dir);
	free(e->dir);
	free(e->pst);
}

/* ---- expectations ------------------------------------------------------ */

/* One expected group, its copies named by creator. */
struct egroup {
	const char	*kind;
	const char	*subject;	/* compared case- and space-folded */
	const char	*kept;
	const char	*others[3];	/* removed, or also kept for a
					   conflict; NULL-terminated */
};

/* Case-fold and collapse white space, as the tool's subject key does. */
static char *
fold(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	int space = 0;

	cr_assert_not_null(out);
	for (; *s != '\0'; s++) {
		if (isspace((unsigned char)*s)) {
			space = o != out;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = 0;
		*o++ = (char)tolower((unsigned char)*s);
	}
	*o = '\0';
	return out;
}

static int
same_subject(const char *a, const char *b)
{
	char *fa = fold(a), *fb = fold(b);
	int eq = strcmp(fa, fb) == 0;

	free(fa);
	free(fb);
	return eq;
}

static size_t
count_strs(const char *const *v)
{
	size_t n = 0;

	while (v[n] != NULL)
		n++;
	return n;
}

/* The copies in list (an array of report items) have exactly the
 * creators in want (as a multiset), all with the kept copy's times
 * unless conflict; removed ones point at the kept copy. */
static void
check_copies(const json_t *list, const char *const *want,
    const json_t *kept, int conflict, int removed)
{
	size_t n = count_strs(want), i, j;
	const char *subject = tu_json_str(kept, "subject"), *creator;
	const char *id = tu_json_str(kept, "id");
	int used[4] = { 0 };

	cr_assert_eq(json_array_size(list), n, "%s: %zu copies, want %zu",
	    subject, json_array_size(list), n);
	for (i = 0; i < json_array_size(list); i++) {
		const json_t *c = json_array_get(list, i);

		creator = tu_json_str(c, "creator");
		for (j = 0; j < n; j++)
			if (!used[j] && strcmp(creator, want[j]) == 0)
				break;
		cr_assert_lt(j, n, "%s: unexpected copy by %s", subject,
		    creator);
		used[j] = 1;
		cr_assert(same_subject(tu_json_str(c, "subject"), subject));
		if (!conflict) {
			cr_assert_str_eq(tu_json_str(c, "start"),
			    tu_json_str(kept, "start"));
			cr_assert_str_eq(tu_json_str(c, "end"),
			    tu_json_str(kept, "end"));
		}
		if (removed)
			cr_assert_str_eq(tu_json_str(c, "duplicate_of"), id,
			    "%s: removed copy by %s points at %s, kept is %s",
			    subject, creator, tu_json_str(c, "duplicate_of"),
			    id);
		cr_assert_str_eq(tu_json_str(c, "folder"), CALENDAR);
		cr_assert_neq(strcmp(tu_json_str(c, "id"), id), 0);
	}
}

/* The report's groups are exactly want (in any order). */
static void
check_groups(const json_t *rep, const struct egroup *want, size_t nwant)
{
	const json_t *groups = tu_json_arr(rep, "groups"), *g, *kept;
	size_t i, j, nremoved = 0;
	int conflict;

	cr_assert_eq(json_array_size(groups), nwant, "%zu groups, want %zu",
	    json_array_size(groups), nwant);
	for (i = 0; i < json_array_size(groups); i++) {
		g = json_array_get(groups, i);
		kept = tu_json_get(g, "kept");
		cr_assert_eq(tu_json_num(g, "group"), (long)i + 1);
		for (j = 0; j < nwant; j++)
			if (same_subject(tu_json_str(kept, "subject"),
			    want[j].subject))
				break;
		cr_assert_lt(j, nwant, "unexpected group \"%s\"",
		    tu_json_str(kept, "subject"));
		cr_assert_str_eq(tu_json_str(g, "kind"), want[j].kind, "%s",
		    want[j].subject);
		cr_assert_str_eq(tu_json_str(kept, "creator"), want[j].kept,
		    "%s: kept the copy by %s, want %s", want[j].subject,
		    tu_json_str(kept, "creator"), want[j].kept);
		cr_assert_str_eq(tu_json_str(kept, "folder"), CALENDAR);
		conflict = strcmp(want[j].kind, "conflict") == 0;
		check_copies(tu_json_arr(g, conflict ? "also_kept" : "removed"),
		    want[j].others, kept, conflict, !conflict);
		cr_assert_eq(json_array_size(tu_json_arr(g,
		    conflict ? "removed" : "also_kept")), 0);
		if (!conflict)
			nremoved += count_strs(want[j].others);
	}
	cr_assert_eq(tu_json_num(tu_json_get(rep, "totals"), "removed"),
	    (long)nremoved);
}

/* Totals add up and equal the numbers given. */
static void
check_totals(const json_t *rep, long read, long kept, long removed,
    long groups, long conflicts, long skipped, long left_out)
{
	const json_t *t = tu_json_get(rep, "totals");

	cr_assert_eq(tu_json_num(t, "read"), tu_json_num(t, "kept") +
	    tu_json_num(t, "removed") + tu_json_num(t, "skipped"));
	cr_assert_eq(tu_json_num(t, "read"), read);
	cr_assert_eq(tu_json_num(t, "kept"), kept);
	cr_assert_eq(tu_json_num(t, "removed"), removed);
	cr_assert_eq(tu_json_num(t, "groups"), groups);
	cr_assert_eq(tu_json_num(t, "conflicts"), conflicts);
	cr_assert_eq(tu_json_num(t, "skipped"), skipped);
	cr_assert_eq(tu_json_num(t, "damaged"), 0);
	cr_assert_eq(tu_json_num(t, "left_out"), left_out);
}

static size_t
count_events(icalcomponent *cal, int with_rid)
{
	icalcomponent *ev;
	size_t n = 0;
	int has;

	for (ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	    ev != NULL;
	    ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		has = icalcomponent_get_first_property(ev,
		    ICAL_RECURRENCEID_PROPERTY) != NULL;
		if (has == with_rid)
			n++;
	}
	return n;
}

/* The VEVENTs (without RECURRENCE-ID) whose SUMMARY is exactly s. */
static size_t
count_summary(icalcomponent *cal, const char *s)
{
	icalcomponent *ev;
	size_t n = 0;

	for (ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	    ev != NULL;
	    ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT))
		if (icalcomponent_get_first_property(ev,
		    ICAL_RECURRENCEID_PROPERTY) == NULL &&
		    strcmp(icalcomponent_get_summary(ev), s) == 0)
			n++;
	return n;
}

/* The master VEVENTs (without RECURRENCE-ID) of cal, NULL-terminated;
 * the array is the caller's, the events cal's. */
static icalcomponent **
masters(icalcomponent *cal)
{
	icalcomponent **v, *a;
	icalcompiter ia;
	size_t n = 0;

	v = calloc((size_t)icalcomponent_count_components(cal,
	    ICAL_VEVENT_COMPONENT) + 1, sizeof *v);
	cr_assert_not_null(v);
	for (ia = icalcomponent_begin_component(cal, ICAL_VEVENT_COMPONENT);
	    (a = icalcompiter_deref(&ia)) != NULL; icalcompiter_next(&ia)) {
		if (icalcomponent_get_first_property(a,
		    ICAL_RECURRENCEID_PROPERTY) == NULL)
			v[n++] = a;
	}
	return v;
}

/* No two master VEVENTs of cal share a UID, and, with other, none has
 * a UID of a master VEVENT in other. */
static void
check_uids(icalcomponent *cal, icalcomponent *other)
{
	icalcomponent **m = masters(cal), *b;
	icalcompiter ib;
	size_t i, j;

	for (i = 0; m[i] != NULL; i++) {
		for (j = i + 1; m[j] != NULL; j++)
			cr_assert(strcmp(icalcomponent_get_uid(m[i]),
			    icalcomponent_get_uid(m[j])) != 0,
			    "two masters with UID %s (\"%s\", \"%s\")",
			    icalcomponent_get_uid(m[i]),
			    icalcomponent_get_summary(m[i]),
			    icalcomponent_get_summary(m[j]));
		if (other == NULL)
			continue;
		for (ib = icalcomponent_begin_component(other,
		    ICAL_VEVENT_COMPONENT); (b = icalcompiter_deref(&ib)) !=
		    NULL; icalcompiter_next(&ib))
			cr_assert_str_neq(icalcomponent_get_uid(m[i]),
			    icalcomponent_get_uid(b), "\"%s\": a removed copy "
			    "has a UID of the clean file",
			    icalcomponent_get_summary(m[i]));
	}
	free(m);
}

/* No two VEVENTs without RECURRENCE-ID share UID and start. */
static void
check_no_duplicate(icalcomponent *cal)
{
	icalcomponent **m = masters(cal);
	size_t i, j;

	for (i = 0; m[i] != NULL; i++)
		for (j = i + 1; m[j] != NULL; j++)
			cr_assert(strcmp(icalcomponent_get_uid(m[i]),
			    icalcomponent_get_uid(m[j])) != 0 ||
			    tu_utc_of(icalcomponent_get_dtstart(m[i])) !=
			    tu_utc_of(icalcomponent_get_dtstart(m[j])),
			    "duplicate left: UID %s \"%s\"",
			    icalcomponent_get_uid(m[i]),
			    icalcomponent_get_summary(m[i]));
	free(m);
}

/* Every item kept by default, by SUMMARY as written in the fixture. */
static const struct {
	const char	*summary;
	size_t		 n;
} default_kept[] = {
	{ "Vendor demo", 1 },
	{ "lunch  with SAM", 1 },
	{ "Lunch with Sam", 1 },	/* a week later */
	{ "Quarterly planning", 1 },
	{ "Budget review", 2 },		/* conflict, undecided */
	{ "All hands", 1 },
	{ "Weekly sync", 2 },		/* series and lookalike single */
	{ "Project kickoff", 2 },
	{ "Yoga", 2 },
	{ "Standup", 2 },
	{ "Team offsite", 1 },
};

static const struct egroup default_groups[] = {
	{ "same-meeting", "Vendor demo", SYNC, { CRA } },
	{ "same-content", "Lunch with Sam", SYNC, { ALEX } },
	{ "same-content", "Quarterly planning", ALEX, { SYNC } },
	{ "conflict", "Budget review", SYNC, { CRA } },
	{ "same-meeting", "All hands", CRA, { SYNC, ALEX } },
	{ "conflict", "Weekly sync", ALEX, { SYNC } },
};
#define NGROUPS (sizeof default_groups / sizeof default_groups[0])

Test(e2e, default_groups_survivors_and_totals)
{
	struct e2e e;
	icalcomponent *ev;
	const json_t *skipped, *s, *groups;
	size_t i, nkept = 0;

	e2e_setup(&e);
	E2E_RUN(&e, "-q");
	cr_assert_eq(e.r.status, 0, "status %d: %s", e.r.status, e.r.err);
	cr_assert_not_null(e.rep);
	cr_assert_str_eq(tu_json_str(e.rep, "file"), "g.pst");
	check_totals(e.rep, 22, 16, 5, 4, 2, 1, 1);
	check_groups(e.rep, default_groups, NGROUPS);
	cr_assert_eq(tu_json_num(tu_json_get(tu_json_get(e.rep, "totals"),
	    "skipped_by_reason"), "meeting request"), 1);
	skipped = tu_json_arr(e.rep, "skipped");
	cr_assert_eq(json_array_size(skipped), 1);
	s = json_array_get(skipped, 0);
	cr_assert_str_eq(tu_json_str(s, "subject"), "Invitation: Offsite");
	cr_assert_str_eq(tu_json_str(s, "class"),
	    "IPM.Schedule.Meeting.Request");
	cr_assert_str_eq(tu_json_str(s, "reason"), "meeting request");
	cr_assert_str_eq(tu_json_str(s, "folder"), CALENDAR);
	cr_assert(json_is_boolean(tu_json_get(s, "damaged")));
	cr_assert(json_is_false(tu_json_get(s, "damaged")));

	/* Both conflicts are undecided (no revision data): flagged,
	 * listed first, the second copy under a new UID. */
	cr_assert_eq(tu_json_num(tu_json_get(e.rep, "totals"), "review"), 2);
	groups = tu_json_arr(e.rep, "groups");
	for (i = 0; i < 2; i++) {
		const json_t *g = json_array_get(groups, i), *also;

		cr_assert_str_eq(tu_json_str(g, "kind"), "conflict");
		cr_assert(json_is_boolean(tu_json_get(g, "review")));
		cr_assert(json_is_true(tu_json_get(g, "review")));
		cr_assert_str_eq(tu_json_str(g, "rule"), "undecided");
		also = tu_json_arr(g, "also_kept");
		cr_assert_eq(json_array_size(also), 1);
		cr_assert(strncmp(tu_json_str(json_array_get(also, 0),
		    "new_uid"), "pstdedup-copy-", 14) == 0);
	}
	cr_assert_str_eq(tu_json_str(json_array_get(groups, 2), "rule"),
	    "policy");

	/* The clean calendar: every kept item, no duplicate, the
	 * survivors' own content, the exception still attached. */
	cr_assert_not_null(e.clean);
	check_no_duplicate(e.clean);
	check_uids(e.clean, NULL);
	check_uids(e.removed, e.clean);
	for (i = 0; i < sizeof default_kept / sizeof default_kept[0]; i++) {
		cr_assert_eq(count_summary(e.clean, default_kept[i].summary),
		    default_kept[i].n, "\"%s\"", default_kept[i].summary);
		nkept += default_kept[i].n;
	}
	cr_assert_eq(count_events(e.clean, 0), nkept);
	cr_assert_eq(nkept, 16);
	cr_assert_eq(count_events(e.clean, 1), 1, "the Weekly sync exception");
	cr_assert_eq(count_summary(e.clean, "Invitation: Offsite"), 0);
	cr_assert_eq(count_summary(e.clean, "Old dentist appointment"), 0);
	ev = tu_ics_event(e.clean, "Vendor demo", 0);
	cr_assert_str_eq(icalcomponent_get_uid(ev), GOID "01");
	cr_assert_str_eq(icalcomponent_get_description(ev),
	    "Demo of the new release.");
	cr_assert_not_null(icalcomponent_get_first_component(ev,
	    ICAL_VALARM_COMPONENT), "the sync copy's reminder");
	ev = tu_ics_event(e.clean, "All hands", 0);
	cr_assert_str_eq(icalproperty_get_categories(
	    icalcomponent_get_first_property(ev, ICAL_CATEGORIES_PROPERTY)),
	    "Company", "the CRA copy (the complete one) survives");
	ev = tu_ics_event(e.clean, "Quarterly planning", 0);
	cr_assert_str_eq(icalcomponent_get_uid(ev), GOID "05");
	cr_assert_str_eq(icalcomponent_get_location(ev), "Room 1");

	/* The series' exception stays with its series, ungrouped. */
	ev = icalcomponent_get_first_component(e.clean, ICAL_VEVENT_COMPONENT);
	while (icalcomponent_get_first_property(ev,
	    ICAL_RECURRENCEID_PROPERTY) == NULL)
		ev = icalcomponent_get_next_component(e.clean,
		    ICAL_VEVENT_COMPONENT);
	cr_assert_str_eq(icalcomponent_get_uid(ev), GOID "04");
	cr_assert_eq(tu_utc_of(icalcomponent_get_dtstart(ev)), 1718798400,
	    "moved to 19 June 14:00 Berlin");

	/* The removed calendar: exactly the removed copies (two of the
	 * triple, so there UID and start repeat). */
	cr_assert_not_null(e.removed);
	cr_assert_eq(count_events(e.removed, 0), 5);
	cr_assert_eq(count_events(e.removed, 1), 0);
	ev = tu_ics_event(e.removed, "Vendor demo", 0);
	cr_assert(strncmp(icalcomponent_get_uid(ev), "pstdedup-removed-",
	    17) == 0, "%s", icalcomponent_get_uid(ev));
	cr_assert_not_null(strstr(icalcomponent_get_uid(ev), GOID "01"));
	cr_assert_null(icalcomponent_get_first_component(ev,
	    ICAL_VALARM_COMPONENT), "the CRA copy has no reminder");
	cr_assert_eq(count_summary(e.removed, "Lunch with Sam"), 1);
	ev = tu_ics_event(e.removed, "Lunch with Sam", 0);
	cr_assert_eq(tu_utc_of(icalcomponent_get_dtstart(ev)), 1716375600,
	    "the 22 May copy, not the near miss a week later");
	ev = tu_ics_event(e.removed, "Quarterly planning", 0);
	cr_assert(strncmp(icalcomponent_get_uid(ev), "pstdedup-removed-",
	    17) == 0, "%s", icalcomponent_get_uid(ev));
	cr_assert_not_null(strstr(icalcomponent_get_uid(ev), GOID "06"));
	cr_assert_str_eq(icalcomponent_get_location(ev), "Room 1 / Teams");
	cr_assert_eq(count_summary(e.removed, "All hands"), 2);
	for (ev = icalcomponent_get_first_component(e.removed,
	    ICAL_VEVENT_COMPONENT); ev != NULL;
	    ev = icalcomponent_get_next_component(e.removed,
	    ICAL_VEVENT_COMPONENT))
		cr_assert_null(icalcomponent_get_first_property(ev,
		    ICAL_CATEGORIES_PROPERTY), "\"%s\": the kept copy's "
		    "categories in the removed file",
		    icalcomponent_get_summary(ev));
	e2e_free(&e);
}

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
