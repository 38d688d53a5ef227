/* e2e_util.c: helpers shared by the e2e test programs
 * (test_e2e*.c), moved out of test_e2e.c. */
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

/* STEM.ics and every folder's STEM-FOLDER.ics (one file per folder),
 * as one calendar for the counts; test_folders checks the split. */
icalcomponent *
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
void
e2e_setup_with(struct e2e *e, const char *fixture)
{
	memset(e, 0, sizeof *e);
	e->dir = tu_tmpdir();
	e->pst = tu_path(e->dir, "g.pst");
	tu_mkpst(fixture, e->pst);
	tu_pstdedup();
}

void
e2e_setup(struct e2e *e)
{
	e2e_setup_with(e, FIXTURE);
}

/* Run pstdedup in e->dir with the NULL-terminated options, then the PST;
 * load whatever of r.json, clean.ics and removed.ics it wrote. */
void
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

void
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

/* Case-fold and collapse white space, as the tool's subject key does. */
char *
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

int
same_subject(const char *a, const char *b)
{
	char *fa = fold(a), *fb = fold(b);
	int eq = strcmp(fa, fb) == 0;

	free(fa);
	free(fb);
	return eq;
}

size_t
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
void
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
void
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
void
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

size_t
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
size_t
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
icalcomponent **
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
void
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
void
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

const struct egroup default_groups[] = {
	{ "same-meeting", "Vendor demo", SYNC, { CRA } },
	{ "same-content", "Lunch with Sam", SYNC, { ALEX } },
	{ "same-content", "Quarterly planning", ALEX, { SYNC } },
	{ "conflict", "Budget review", SYNC, { CRA } },
	{ "same-meeting", "All hands", CRA, { SYNC, ALEX } },
	{ "conflict", "Weekly sync", ALEX, { SYNC } },
};
