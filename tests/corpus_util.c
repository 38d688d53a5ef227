/* corpus_util.c: helpers shared by the corpus test programs
 * (test_corpus*.c), moved out of test_corpus.c. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <dirent.h>
#include <libical/ical.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testutil.h"
#include "corpus_util.h"

/* "2011-09-19T21:54:25.745724" (UTC) -> Unix seconds, sub-second part
 * dropped as the FILETIME -> seconds conversion does. */
int64_t
iso_utc(const char *s)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	cr_assert_eq(sscanf(s, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec), 6,
	    "bad TSV time \"%s\"", s);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm);
}

int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	cr_assert(c >= 'a' && c <= 'f', "bad hex digit in TSV GOID");
	return c - 'a' + 10;
}

/* The UID a Clean GOID (lowercase hex) implies: the original UID of a
 * vCal-Uid GOID, else the uppercase hex with the instance date zeroed. */
char *
goid_uid(const char *hex)
{
	size_t n = strlen(hex) / 2, size, end;
	uint8_t *b;
	char *uid;

	if (n == 0)
		return NULL;
	b = malloc(n);
	cr_assert_not_null(b);
	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)(hexval(hex[2 * i]) << 4 |
		    hexval(hex[2 * i + 1]));
	if (n >= 52 && memcmp(b + 40, "vCal-Uid", 8) == 0) {
		size = (size_t)b[36] | (size_t)b[37] << 8 |
		    (size_t)b[38] << 16 | (size_t)b[39] << 24;
		cr_assert_leq(40 + size, n, "vCal-Uid GOID size too large");
		end = 40 + size;
		while (end > 52 && b[end - 1] == '\0')
			end--;
		uid = strndup((char *)b + 52, end - 52);
	} else {
		cr_assert_geq(n, 20, "GOID too short");
		memset(b + 16, 0, 4);
		uid = malloc(2 * n + 1);
		cr_assert_not_null(uid);
		for (size_t i = 0; i < n; i++)
			snprintf(uid + 2 * i, 3, "%02X", b[i]);
	}
	free(b);
	return uid;
}

/* Split a line on tabs in place; returns the number of fields. */
size_t
split_tabs(char *line, char **f, size_t max)
{
	size_t n = 0;

	f[n++] = line;
	for (char *p = line; *p != '\0' && n < max; p++) {
		if (*p == '\t') {
			*p = '\0';
			f[n++] = p + 1;
		}
	}
	return n;
}

/* Read the oracle rows for file; none when it has no TSV. */
void
load_rows(const char *dir, const char *file, struct result *r)
{
	char *name, *path, *text, *line, *next, *f[32];
	size_t n, cap = 0;

	cr_assert_gt(asprintf(&name, "expected/%s.appointments.tsv", file), 0);
	path = tu_path(dir, name);
	text = tu_slurp(path, NULL);
	free(name);
	free(path);
	r->rows = NULL;
	r->nrows = 0;
	if (text == NULL)
		return;
	line = strchr(text, '\n');
	cr_assert_not_null(line, "%s: TSV has no header", file);
	for (line++; *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (*line == '\0')
			continue;
		n = split_tabs(line, f, 32);
		cr_assert_eq(n, 21, "%s: TSV row with %zu fields", file, n);
		if (r->nrows == cap) {
			cap = cap ? 2 * cap : 16;
			r->rows = realloc(r->rows, cap * sizeof *r->rows);
			cr_assert_not_null(r->rows);
		}
		r->rows[r->nrows].folder = strdup(f[0]);
		r->rows[r->nrows].subject = strdup(f[2]);
		r->rows[r->nrows].start = iso_utc(f[3]);
		r->rows[r->nrows].end = iso_utc(f[4]);
		r->rows[r->nrows].all_day = strcmp(f[5], "1") == 0;
		/* SampleOstFile's GOIDs are vCal-Uid wrappers whose UIDs
		 * the oracle does not list (its column is the unrelated
		 * Clean GOID): sample_ost_conflict checks the one UID
		 * MANIFEST.md names. */
		r->rows[r->nrows].uid = strcmp(file, SAMPLEOST) == 0 ? NULL :
		    goid_uid(f[20]);
		r->rows[r->nrows].matched = 0;
		r->nrows++;
	}
	free(text);
}

/* MANIFEST.md's summary table row for file: calendar folders and the
 * first appointment count; 0 if file has no row. */
int
manifest_row(const char *dir, const char *file, long *folders, long *count)
{
	char *path = tu_path(dir, "MANIFEST.md"), *text, *p, *cell;
	char *want;
	long v[2];

	text = tu_slurp(path, NULL);
	free(path);
	cr_assert_not_null(text, "cannot read MANIFEST.md");
	cr_assert_gt(asprintf(&want, "\n| `%s` |", file), 0);
	p = strstr(text, want);
	free(want);
	if (p == NULL) {
		free(text);
		return 0;
	}
	/* file | bytes | format | folders | calendar folders | N / N / N */
	cell = p + 1;
	for (int i = 0; i < 6; i++) {
		cell = strchr(cell, '|');
		cr_assert_not_null(cell, "%s: short MANIFEST row", file);
		cell++;
		if (i >= 4)
			cr_assert_eq(sscanf(cell, " %ld", &v[i - 4]), 1,
			    "%s: no number in MANIFEST cell %d", file, i + 1);
	}
	*folders = v[0];
	*count = v[1];
	free(text);
	return 1;
}

/* The report: well formed, its totals add up, and its groups list as
 * many removed copies and conflicts as the totals say. */
void
parse_report(struct result *r)
{
	const json_t *t, *groups, *g;
	size_t i, removed = 0, conflicts = 0;

	t = tu_json_get(r->json, "totals");
	r->t.folders = tu_json_num(t, "folders");
	r->t.read = tu_json_num(t, "read");
	r->t.kept = tu_json_num(t, "kept");
	r->t.removed = tu_json_num(t, "removed");
	r->t.conflicts = tu_json_num(t, "conflicts");
	r->t.review = tu_json_num(t, "review");
	r->t.skipped = tu_json_num(t, "skipped");
	r->t.left_out = tu_json_num(t, "left_out");
	cr_assert_eq(r->t.read, r->t.kept + r->t.removed + r->t.skipped,
	    "%s: read %ld != kept %ld + removed %ld + skipped %ld", r->file,
	    r->t.read, r->t.kept, r->t.removed, r->t.skipped);
	groups = tu_json_arr(r->json, "groups");
	json_array_foreach(groups, i, g) {
		if (strcmp(tu_json_str(g, "kind"), "conflict") == 0)
			conflicts++;
		else if (json_object_get(g, "removed") != NULL)
			removed += json_array_size(tu_json_arr(g, "removed"));
	}
	cr_assert_eq((long)removed, r->t.removed,
	    "%s: groups list %zu removed copies, totals say %ld", r->file,
	    removed, r->t.removed);
	cr_assert_eq((long)conflicts, r->t.conflicts,
	    "%s: %zu conflict groups, totals say %ld", r->file, conflicts,
	    r->t.conflicts);
}

/* The text of the first X-LIC-ERROR under c, or NULL. */
const char *
first_error(icalcomponent *c)
{
	icalproperty *p;
	icalcomponent *s;
	const char *e;

	p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY);
	if (p != NULL)
		return icalproperty_get_xlicerror(p);
	for (s = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT);
	    s != NULL;
	    s = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
		if ((e = first_error(s)) != NULL)
			return e;
	return NULL;
}

/* The per-folder lines of the summary on stderr. */
void
parse_lines(struct result *r, const char *in, const char *err)
{
	struct fline *l;
	const char *line, *end, *p, *q;
	char prefix[4096];
	size_t n;

	snprintf(prefix, sizeof prefix, "pstdedup: %s: ", in);
	n = strlen(prefix);
	for (line = err; *line != '\0'; line = *end ? end + 1 : end) {
		end = strchr(line, '\n');
		if (end == NULL)
			end = line + strlen(line);
		if (strncmp(line, prefix, n) != 0)
			continue;
		/* FOLDER: N read, ... (the totals line has "items read") */
		for (p = line + n; (p = strstr(p, ": ")) != NULL && p < end;
		    p++) {
			q = p + 2;
			while (*q >= '0' && *q <= '9')
				q++;
			if (q > p + 2 && strncmp(q, " read, ", 7) == 0)
				break;
		}
		if (p == NULL || p >= end)
			continue;
		r->lines = realloc(r->lines,
		    (r->nlines + 1) * sizeof *r->lines);
		cr_assert_not_null(r->lines);
		l = &r->lines[r->nlines++];
		memset(l, 0, sizeof *l);
		l->folder = strndup(line + n, (size_t)(p - line - n));
		cr_assert_eq(sscanf(p + 2, "%ld read, %ld kept, %ld removed",
		    &l->read, &l->kept, &l->removed), 3, "%.*s",
		    (int)(end - line), line);
		q = strstr(p + 2, " removed") + 8;
		if (sscanf(q, ", %ld skipped", &l->skipped) == 1)
			q = strstr(q, " skipped") + 8;
		if (strncmp(q, ": ", 2) == 0) {
			q += 2;
			p = q;
			while (p < end && *p != ';' && strncmp(p, ", removed",
			    9) != 0)
				p++;
			l->ics = strndup(q, (size_t)(p - q));
			if ((q = strrchr(l->ics, '/')) != NULL)
				memmove(l->ics, q + 1, strlen(q));
		}
	}
}

/* Every .ics written, each parsed and checked alone. */
void
load_files(struct result *r, const char *tmp)
{
	struct dirent *de;
	char *path, *text;
	icalcomponent *c;
	size_t n;
	DIR *d;

	cr_assert_not_null(d = opendir(tmp));
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n < 4 || strcmp(de->d_name + n - 4, ".ics") != 0)
			continue;
		cr_assert(strcmp(de->d_name, "out.ics") == 0 ||
		    strncmp(de->d_name, "out-", 4) == 0, "%s: stray %s",
		    r->file, de->d_name);
		path = tu_path(tmp, de->d_name);
		text = tu_slurp(path, NULL);
		free(path);
		cr_assert_not_null(text);
		c = icalparser_parse_string(text);
		free(text);
		cr_assert_not_null(c, "%s: %s does not parse", r->file,
		    de->d_name);
		cr_assert_eq(icalcomponent_isa(c), ICAL_VCALENDAR_COMPONENT);
		cr_assert_eq(icalcomponent_count_errors(c), 0,
		    "%s: %s: %d X-LIC-ERROR, first: %s", r->file, de->d_name,
		    icalcomponent_count_errors(c), first_error(c));
		r->files = realloc(r->files, (r->nfiles + 1) *
		    sizeof *r->files);
		r->names = realloc(r->names, (r->nfiles + 1) *
		    sizeof *r->names);
		cr_assert(r->files != NULL && r->names != NULL);
		r->files[r->nfiles] = c;
		r->names[r->nfiles++] = strdup(de->d_name);
	}
	closedir(d);
}

/* The files' events in one calendar, for the whole-file checks. */
icalcomponent *
merge_files(struct result *r)
{
	icalcomponent *all, *c, *s;
	char *text;

	text = icalcomponent_as_ical_string_r(r->files[0]);
	all = icalparser_parse_string(text);
	free(text);
	for (size_t i = 1; i < r->nfiles; i++) {
		text = icalcomponent_as_ical_string_r(r->files[i]);
		c = icalparser_parse_string(text);
		free(text);
		while ((s = icalcomponent_get_first_component(c,
		    ICAL_ANY_COMPONENT)) != NULL) {
			icalcomponent_remove_component(c, s);
			icalcomponent_add_component(all, s);
		}
		icalcomponent_free(c);
	}
	return all;
}

/* Run pstdedup on a corpus file (extra: one more option, or NULL). */
void
run(const char *dir, const char *file, const char *extra, struct result *r)
{
	char *tmp, *in, *out, *rep, *ics;
	char *argv[7];
	struct tu_run tr;
	int i = 0;

	memset(r, 0, sizeof *r);
	r->file = strdup(file);
	tmp = tu_tmpdir();
	in = tu_path(dir, file);
	out = tu_path(tmp, "out.ics");
	rep = tu_path(tmp, "report.json");
	/* corpus-libpff.sh runs every test again with the other reader:
	 * tu_pstdedup_runv() adds it. */
	if (extra != NULL)
		argv[i++] = (char *)extra;
	argv[i++] = (char *)"-o";
	argv[i++] = out;
	argv[i++] = (char *)"-R";
	argv[i++] = rep;
	argv[i++] = in;
	argv[i] = NULL;
	tu_pstdedup_runv(&tr, tmp, argv);
	/* 1: nothing to write, no calendar at all. */
	cr_assert(tr.status == 0 || tr.status == 1, "%s: exit %d: %s", file,
	    tr.status, tr.err);
	r->status = tr.status;
	r->json = tu_json_load(rep);
	cr_assert_not_null(r->json, "%s: no report written", file);
	parse_report(r);
	parse_lines(r, in, tr.err);
	/* The corpus is read-only; output goes only where we said: out.ics
	 * and out-FOLDER.ics, one per folder. */
	load_files(r, tmp);
	cr_assert_eq(tu_count_entries(tmp), 1 + (int)r->nfiles,
	    "%s: stray files", file);
	cr_assert_eq(r->nfiles == 0, tr.status == 1, "%s: status %d with "
	    "%zu files", file, tr.status, r->nfiles);
	ics = tu_slurp(out, NULL);
	if (r->nfiles == 0)
		r->cal = icalparser_parse_string("BEGIN:VCALENDAR\r\n"
		    "VERSION:2.0\r\nPRODID:-//none//EN\r\nMETHOD:PUBLISH\r\n"
		    "END:VCALENDAR\r\n");
	else
		r->cal = merge_files(r);
	load_rows(dir, file, r);
	if (!manifest_row(dir, file, &r->calfolders, &r->manifest))
		r->manifest = r->calfolders = -1;
	free(ics);
	free(in);
	free(out);
	free(rep);
	tu_run_free(&tr);
	tu_rmdir(tmp);
	free(tmp);
}

void
result_free(struct result *r)
{
	for (size_t i = 0; i < r->nrows; i++) {
		free(r->rows[i].folder);
		free(r->rows[i].subject);
		free(r->rows[i].uid);
	}
	free(r->rows);
	icalcomponent_free(r->cal);
	for (size_t i = 0; i < r->nfiles; i++) {
		icalcomponent_free(r->files[i]);
		free(r->names[i]);
	}
	free(r->files);
	free(r->names);
	for (size_t i = 0; i < r->nlines; i++) {
		free(r->lines[i].folder);
		free(r->lines[i].ics);
	}
	free(r->lines);
	json_decref(r->json);
	free(r->file);
}

int
has_prop(icalcomponent *c, icalproperty_kind k)
{
	return icalcomponent_get_first_property(c, k) != NULL;
}

/* Every X-LIC-ERROR under c must be one of the two iTIP rules Outlook's
 * own PUBLISH files break: ORGANIZER missing on a plain appointment and
 * ATTENDEE present on a meeting (the corpus ics/ files do both). */
void
check_errors(icalcomponent *c, int meeting, int organizer, const char *uid)
{
	icalproperty *p;
	icalcomponent *s;
	const char *e;

	for (p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY);
	    p != NULL;
	    p = icalcomponent_get_next_property(c, ICAL_XLICERROR_PROPERTY)) {
		e = icalproperty_get_xlicerror(p);
		if (!meeting && !organizer && strstr(e, "ORGANIZER property. "
		    "Expected 1 instances of the property and got 0") != NULL)
			continue;
		if (meeting && organizer && strstr(e, "ATTENDEE property. "
		    "Expected 0 instances") != NULL)
			continue;
		cr_assert_fail("UID %s: %s", uid, e);
	}
	for (s = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT);
	    s != NULL;
	    s = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
		check_errors(s, meeting, organizer, uid);
}

/* icalrestriction_check stops at the first bad component, so check
 * each VEVENT alone in a METHOD:PUBLISH calendar. */
void
check_restrictions(icalcomponent *ev)
{
	icalcomponent *w;
	const char *uid = icalcomponent_get_uid(ev);

	w = icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT,
	    icalproperty_new_version("2.0"),
	    icalproperty_new_prodid("-//pstdedup//test_corpus//EN"),
	    icalproperty_new_method(ICAL_METHOD_PUBLISH), (void *)0);
	icalcomponent_add_component(w, icalcomponent_new_clone(ev));
	icalrestriction_check(w);
	check_errors(w, has_prop(ev, ICAL_ATTENDEE_PROPERTY),
	    has_prop(ev, ICAL_ORGANIZER_PROPERTY), uid ? uid : "(none)");
	icalcomponent_free(w);
}

/* A DATE-TIME property as Unix seconds; its TZID must have a VTIMEZONE
 * and floating times are refused. */
int64_t
prop_utc(icalcomponent *cal, icalproperty *p, struct icaltimetype t)
{
	icalparameter *tz;
	icaltimezone *zone;
	const char *tzid;

	cr_assert(!t.is_date, "%s is a DATE",
	    icalproperty_kind_to_string(icalproperty_isa(p)));
	if (icaltime_is_utc(t))
		return (int64_t)icaltime_as_timet(t);
	tz = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
	cr_assert_not_null(tz, "floating %s",
	    icalproperty_kind_to_string(icalproperty_isa(p)));
	tzid = icalparameter_get_tzid(tz);
	zone = icalcomponent_get_timezone(cal, tzid);
	cr_assert_not_null(zone, "TZID \"%s\" has no VTIMEZONE", tzid);
	return (int64_t)icaltime_as_timet_with_zone(t, zone);
}

/* The civil date (UTC) of Unix time t, as y*10000 + m*100 + d. */
long
ymd(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	return (tm.tm_year + 1900) * 10000L + (tm.tm_mon + 1) * 100 +
	    tm.tm_mday;
}

long
date_ymd(struct icaltimetype t)
{
	return t.year * 10000L + t.month * 100 + t.day;
}

void
event_read(icalcomponent *cal, icalcomponent *ev, struct event *e)
{
	icalproperty *ps, *pe;
	struct icaltimetype s, t;

	e->uid = icalcomponent_get_uid(ev);
	e->summary = icalcomponent_get_summary(ev);
	cr_assert_not_null(e->uid, "VEVENT without UID");
	cr_assert_neq(*e->uid, '\0', "empty UID");
	cr_assert_not_null(e->summary, "UID %s: no SUMMARY", e->uid);
	ps = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
	pe = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY);
	cr_assert_not_null(ps, "UID %s: no DTSTART", e->uid);
	cr_assert_not_null(pe, "UID %s: no DTEND", e->uid);
	s = icalproperty_get_dtstart(ps);
	t = icalproperty_get_dtend(pe);
	e->all_day = s.is_date;
	cr_assert_eq(s.is_date, t.is_date, "UID %s: DTSTART/DTEND kinds",
	    e->uid);
	if (e->all_day) {
		e->start = date_ymd(s);
		e->end = date_ymd(t);
	} else {
		e->start = prop_utc(cal, ps, s);
		e->end = prop_utc(cal, pe, t);
	}
}

/* Whether uid is a UID pstdedup derived from orig: "pstdedup-...-orig". */
int
derived_from(const char *uid, const char *orig)
{
	size_t n = strlen(uid), k = strlen(orig);

	return strncmp(uid, "pstdedup-", 9) == 0 && n > k + 1 &&
	    uid[n - k - 1] == '-' && strcmp(uid + n - k, orig) == 0;
}

int
row_matches(const struct row *w, const struct event *e)
{
	if (w->matched || w->all_day != e->all_day ||
	    strcmp(w->subject, e->summary) != 0)
		return 0;
	if (w->uid != NULL && strcmp(w->uid, e->uid) != 0 &&
	    !derived_from(e->uid, w->uid))
		return 0;
	/* All-day items are local midnights: +12 h lands on the local
	 * date whatever the zone's offset. */
	if (e->all_day)
		return ymd(w->start + 43200) == e->start &&
		    ymd(w->end + 43200) == e->end;
	return w->start == e->start && w->end == e->end;
}

/* Every TZID used anywhere under c has a VTIMEZONE in cal. */
void
check_tzids(icalcomponent *cal, icalcomponent *c)
{
	icalproperty *p;
	icalparameter *tz;
	icalcomponent *s;

	for (p = icalcomponent_get_first_property(c, ICAL_ANY_PROPERTY);
	    p != NULL;
	    p = icalcomponent_get_next_property(c, ICAL_ANY_PROPERTY)) {
		tz = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
		if (tz != NULL)
			cr_assert_not_null(icalcomponent_get_timezone(cal,
			    icalparameter_get_tzid(tz)),
			    "TZID \"%s\" has no VTIMEZONE",
			    icalparameter_get_tzid(tz));
	}
	for (s = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT);
	    s != NULL;
	    s = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
		check_tzids(cal, s);
}

/* No two master VEVENTs of one written file share a UID. */
void
check_master_uids(const struct result *r)
{
	size_t j;

	for (j = 0; j < r->nfiles; j++)
		check_file_uids(r, r->files[j]);
}

void
check_file_uids(const struct result *r, icalcomponent *cal)
{
	icalcomponent *a, *b;
	icalcompiter ia, ib;

	for (ia = icalcomponent_begin_component(cal, ICAL_VEVENT_COMPONENT);
	    (a = icalcompiter_deref(&ia)) != NULL; icalcompiter_next(&ia)) {
		if (has_prop(a, ICAL_RECURRENCEID_PROPERTY))
			continue;
		ib = ia;
		for (icalcompiter_next(&ib);
		    (b = icalcompiter_deref(&ib)) != NULL;
		    icalcompiter_next(&ib))
			cr_assert(has_prop(b, ICAL_RECURRENCEID_PROPERTY) ||
			    strcmp(icalcomponent_get_uid(a),
			    icalcomponent_get_uid(b)) != 0,
			    "%s: two masters with UID %s", r->file,
			    icalcomponent_get_uid(a));
	}
}

int
folder_is(const char *row, const char *rel)
{
	size_t a = strlen(row), b = strlen(rel);

	return strcmp(row, rel) == 0 || (a > b && row[a - b - 1] == '/' &&
	    strcmp(row + a - b, rel) == 0);
}

/* One file per folder: each folder's kept items, and only they, in its
 * own file; per folder read = kept + removed + skipped, and the folders
 * add up to the totals. */
void
check_folders(struct result *r)
{
	const struct fline *l;
	icalcomponent *cal, *ev;
	struct event e;
	struct row w;
	long kept = 0, removed = 0, skipped = 0;
	size_t i, j, k, masters, withfile = 0;

	for (i = 0; i < r->nlines; i++) {
		l = &r->lines[i];
		cr_assert_eq(l->read, l->kept + l->removed + l->skipped,
		    "%s: %s: read %ld != kept %ld + removed %ld + skipped %ld",
		    r->file, l->folder, l->read, l->kept, l->removed,
		    l->skipped);
		kept += l->kept;
		removed += l->removed;
		skipped += l->skipped;
		cr_assert_eq(l->ics != NULL, l->kept > 0, "%s: %s: %ld kept, "
		    "file %s", r->file, l->folder, l->kept,
		    l->ics ? l->ics : "none");
		if (l->ics == NULL)
			continue;
		withfile++;
		for (j = 0; j < r->nfiles; j++)
			if (strcmp(r->names[j], l->ics) == 0)
				break;
		cr_assert_lt(j, r->nfiles, "%s: %s: %s not written", r->file,
		    l->folder, l->ics);
		cal = r->files[j];
		masters = 0;
		for (ev = icalcomponent_get_first_component(cal,
		    ICAL_VEVENT_COMPONENT); ev != NULL;
		    ev = icalcomponent_get_next_component(cal,
		    ICAL_VEVENT_COMPONENT)) {
			if (has_prop(ev, ICAL_RECURRENCEID_PROPERTY))
				continue;
			masters++;
			event_read(cal, ev, &e);
			for (k = 0; k < r->nrows; k++) {
				w = r->rows[k];
				w.matched = 0;
				if (folder_is(w.folder, l->folder) &&
				    row_matches(&w, &e))
					break;
			}
			cr_assert(r->nrows == 0 || k < r->nrows, "%s: %s: "
			    "\"%s\" is in %s but not an item of that folder",
			    r->file, l->folder, e.summary, l->ics);
		}
		cr_assert_eq((long)masters, l->kept, "%s: %s: %zu VEVENTs, "
		    "%ld kept", r->file, l->folder, masters, l->kept);
	}
	cr_assert_eq(withfile, r->nfiles, "%s: %zu files, %zu folders with "
	    "one", r->file, r->nfiles, withfile);
	cr_assert_eq(kept, r->t.kept, "%s: folders keep %ld, totals %ld",
	    r->file, kept, r->t.kept);
	cr_assert_eq(removed, r->t.removed, "%s: folders removed %ld, totals "
	    "%ld", r->file, removed, r->t.removed);
	cr_assert_leq(skipped, r->t.skipped, "%s", r->file);
	cr_assert_eq(r->status == 1, r->t.kept == 0, "%s: status %d, %ld kept",
	    r->file, r->status, r->t.kept);
}

/* The checks every corpus file gets; all: pstdedup ran with -a. */
void
check_file(struct result *r, int all)
{
	icalcomponent *ev;
	icalproperty *m;
	struct event e;
	size_t masters = 0, unmatched = 0, i;

	check_folders(r);
	check_master_uids(r);
	m = icalcomponent_get_first_property(r->cal, ICAL_METHOD_PROPERTY);
	cr_assert_not_null(m, "%s: no METHOD", r->file);
	cr_assert_eq(icalproperty_get_method(m), ICAL_METHOD_PUBLISH);
	cr_assert(has_prop(r->cal, ICAL_PRODID_PROPERTY));
	m = icalcomponent_get_first_property(r->cal, ICAL_VERSION_PROPERTY);
	cr_assert_not_null(m, "%s: no VERSION", r->file);
	cr_assert_str_eq(icalproperty_get_version(m), "2.0");
	check_tzids(r->cal, r->cal);

	/* The oracle, MANIFEST.md and the report agree on the count. */
	if (r->manifest >= 0)
		cr_assert_eq((long)r->nrows, r->manifest,
		    "%s: TSV has %zu rows, MANIFEST says %ld", r->file,
		    r->nrows, r->manifest);
	if (r->calfolders >= 0 && !all)
		cr_assert_eq(r->t.folders, r->calfolders,
		    "%s: %ld calendar folders, MANIFEST says %ld", r->file,
		    r->t.folders, r->calfolders);
	if (all)
		cr_assert_eq(r->t.read, (long)r->nrows,
		    "%s: read %ld, expected %zu", r->file, r->t.read,
		    r->nrows);
	else
		cr_assert_eq(r->t.read + r->t.left_out, (long)r->nrows,
		    "%s: read %ld + left out %ld, expected %zu", r->file,
		    r->t.read, r->t.left_out, r->nrows);

	for (ev = icalcomponent_get_first_component(r->cal,
	    ICAL_VEVENT_COMPONENT); ev != NULL;
	    ev = icalcomponent_get_next_component(r->cal,
	    ICAL_VEVENT_COMPONENT)) {
		check_restrictions(ev);
		if (has_prop(ev, ICAL_RECURRENCEID_PROPERTY))
			continue;
		masters++;
		event_read(r->cal, ev, &e);
		for (i = 0; i < r->nrows; i++)
			if (row_matches(&r->rows[i], &e))
				break;
		cr_assert_lt(i, r->nrows, "%s: VEVENT UID %s \"%s\" start %lld "
		    "end %lld%s matches no oracle row", r->file, e.uid,
		    e.summary, (long long)e.start, (long long)e.end,
		    e.all_day ? " (all-day)" : "");
		r->rows[i].matched = 1;
	}
	cr_assert_eq((long)masters, r->t.kept, "%s: %zu VEVENTs, %ld kept",
	    r->file, masters, r->t.kept);
	check_master_uids(r);
	for (i = 0; i < r->nrows; i++)
		unmatched += !r->rows[i].matched;
	cr_assert_eq((long)unmatched,
	    r->t.removed + r->t.skipped + (all ? 0 : r->t.left_out),
	    "%s: %zu oracle rows not in the .ics, report accounts for %ld",
	    r->file, unmatched,
	    r->t.removed + r->t.skipped + (all ? 0 : r->t.left_out));
}
