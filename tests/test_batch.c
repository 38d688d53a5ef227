/* test_batch.c: many inputs: a directory of fixture PSTs, where each
 * input's files go, the worst exit status, the combined report (rows and
 * totals equal the single-file runs), -j 1 = -j 4, --combine of parts =
 * one run over the whole, CSV for Excel, inputs known by content. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <libical/ical.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "combined.h"
#include "testutil.h"

/* One real duplicate whose subject looks like a formula to Excel. */
static const char formula_ics[] =
"BEGIN:VCALENDAR\r\n"
"VERSION:2.0\r\n"
"PRODID:-//pstdedup//test_batch//EN\r\n"
"BEGIN:VEVENT\r\n"
"UID:sum@example.com\r\n"
"SUMMARY:=SUM(A1:A9)\r\n"
"DTSTART:20240710T090000Z\r\n"
"DTEND:20240710T100000Z\r\n"
"X-PST-CREATOR:Alex Example\r\n"
"END:VEVENT\r\n"
"BEGIN:VEVENT\r\n"
"UID:sum@example.com\r\n"
"SUMMARY:=SUM(A1:A9)\r\n"
"DTSTART:20240710T090000Z\r\n"
"DTEND:20240710T100000Z\r\n"
"X-PST-CREATOR:Calendar Repair Assistant\r\n"
"END:VEVENT\r\n"
"END:VCALENDAR\r\n";

/* A calendar with nothing in it. */
static const char empty_ics[] =
"BEGIN:VCALENDAR\r\n"
"VERSION:2.0\r\n"
"PRODID:-//pstdedup//test_batch//EN\r\n"
"END:VCALENDAR\r\n";

static char *
join(const char *a, const char *b)
{
	return tu_path(a, b);
}

static void
mkdirs(const char *base, const char *rel)
{
	char	*p = join(base, rel);

	cr_assert_eq(mkdir(p, 0777), 0, "mkdir %s", p);
	free(p);
}

/* PST from text, moved to base/rel. */
static void
mkpst_text_at(const char *base, const char *rel, const char *text)
{
	char	*tmp = tu_tmpdir(), *pst, *to;

	pst = tu_mkpst_text(tmp, text, strlen(text));
	to = join(base, rel);
	cr_assert_eq(rename(pst, to), 0, "rename to %s", to);
	free(pst);
	free(to);
	tu_rmdir(tmp);
	free(tmp);
}

/*
 * in/a/Outlook.pst      duplicates.ics: 5 read, 3 kept, 2 removed
 * in/b/Outlook.pst      folders.ics: three folders (same name as a's)
 * in/b/broken.pst       the first 3000 bytes of a PST: damaged, 65
 * in/c/empty.pst        an empty calendar: 1, no file
 * in/c/formula.pst      a duplicate whose subject is "=SUM(A1:A9)"
 * in/notes.txt          not a calendar: not an input
 * in/old-clean.ics      pstdedup's own output: skipped with a note
 */
static char *
fixture_dir(void)
{
	char	*top = tu_tmpdir(), *in, *a, *b, *own;
	const char *data;

	mkdirs(top, "in");
	in = join(top, "in");
	mkdirs(in, "a");
	mkdirs(in, "b");
	mkdirs(in, "c");
	a = join(in, "a/Outlook.pst");
	tu_mkpst("duplicates.ics", a);
	b = join(in, "b/Outlook.pst");
	tu_mkpst("folders.ics", b);
	free(b);
	b = join(in, "b/broken.pst");
	tu_spit_head(b, a, 3000);
	mkpst_text_at(in, "c/empty.pst", empty_ics);
	mkpst_text_at(in, "c/formula.pst", formula_ics);
	free(b);
	b = join(in, "notes.txt");
	tu_spit(b, "not a calendar\n", 15);
	own = join(in, "old-clean.ics");
	data = "BEGIN:VCALENDAR\r\nPRODID:-//pstdedup//pstdedup "
	    "0.1.0//EN\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";
	tu_spit(own, data, strlen(data));
	free(own);
	free(a);
	free(b);
	free(in);
	return top;
}

/* pstdedup with the arguments up to the first NULL, in dir. */
static void
run_v(struct tu_run *r, const char *dir, const char *const *args)
{
	char	*argv[32];
	size_t	 n = 0;

	argv[n++] = (char *)tu_pstdedup();
	for (; *args != NULL && n < 31; args++)
		argv[n++] = (char *)*args;
	argv[n] = NULL;
	tu_run(r, dir, argv);
}

#define run_in(r, dir, ...) \
	run_v(r, dir, (const char *const[]){ __VA_ARGS__, NULL })

static json_t *
load(const char *dir, const char *name)
{
	json_error_t	 err;
	char		*p = join(dir, name);
	json_t		*j = json_load_file(p, 0, &err);

	cr_assert(j != NULL, "%s: %s", p, err.text);
	free(p);
	return j;
}

static int
exists(const char *dir, const char *rel)
{
	struct stat	 sb;
	char		*p = join(dir, rel);
	int		 e = stat(p, &sb) == 0;

	free(p);
	return e;
}

static json_int_t
geti(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static json_t *
row_of(json_t *doc, const char *input)
{
	json_t	*row;
	size_t	 i;

	json_array_foreach(json_object_get(doc, "inputs"), i, row) {
		if (strcmp(json_string_value(json_object_get(row, "input")),
		    input) == 0)
			return row;
	}
	cr_assert_fail("no row for %s", input);
	return NULL;
}

Test(batch, directory_outputs_status_and_report)
{
	static const char *const inputs[] = { "in/a/Outlook.pst",
	    "in/b/Outlook.pst", "in/b/broken.pst", "in/c/empty.pst",
	    "in/c/formula.pst" };
	static const int statuses[] = { 0, 0, 65, 1, 0 };
	struct tu_run	 r, s;
	json_t		*doc, *one, *row, *t, *g;
	char		*top = fixture_dir(), *ics, *p, *line;
	const char	*keys[] = { "read", "kept", "removed", "skipped",
			    "groups", "damaged", "degraded" };
	json_int_t	 sum[7] = { 0 };
	size_t		 i, k;

	run_in(&r, top, "-j", "2", "-d", "out", "-R", "all.json", "in", NULL);
	/* The worst: 65 (bad data) over 1 (nothing) and 0. */
	cr_assert_eq(r.status, 65, "%d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "in/b/broken.pst: cannot read") != NULL,
	    "%s", r.err);
	cr_assert(strstr(r.err, "in/old-clean.ics: skipped: written by "
	    "pstdedup") != NULL, "%s", r.err);
	cr_assert(strstr(r.err, "pstdedup: 5 inputs: 3 done (0), 1 nothing "
	    "to write (1), 1 bad data (65)") != NULL, "%s", r.err);

	/* Each input's files below out/, by its directory: the two
	 * Outlook.pst do not collide. */
	p = join(top, "out/a/Outlook-clean.ics");
	ics = tu_slurp(p, NULL);
	cr_assert(ics != NULL);
	cr_assert_eq(tu_count(ics, "BEGIN:VEVENT"), 3, "%s", ics);
	cr_assert(strstr(ics, "SUMMARY:Vendor demo") != NULL);
	free(ics);
	free(p);
	p = join(top, "out/b/Outlook-clean.ics");
	ics = tu_slurp(p, NULL);
	cr_assert(ics != NULL);
	cr_assert_eq(tu_count(ics, "BEGIN:VEVENT"), 1, "%s", ics);
	free(ics);
	free(p);
	cr_assert(exists(top, "out/b/Outlook-clean-Birthdays.ics"));
	cr_assert(exists(top, "out/b/Outlook-clean-Calendar-Project X.ics"));
	cr_assert(exists(top, "out/c/formula-clean.ics"));
	cr_assert(!exists(top, "out/c/empty-clean.ics"));
	cr_assert(!exists(top, "out/b/broken-clean.ics"));
	cr_assert_eq(tu_count_entries(p = join(top, "out")), 3);
	free(p);
	cr_assert_eq(tu_count_entries(p = join(top, "out/c")), 1);
	free(p);
	/* Nothing written into the inputs' tree. */
	cr_assert_eq(tu_count_entries(p = join(top, "in/a")), 1);
	free(p);

	doc = load(top, "all.json");
	cr_assert_eq(geti(doc, "status"), 65);
	cr_assert_eq(json_array_size(json_object_get(doc, "inputs")), 5);
	for (i = 0; i < 5; i++) {
		row = json_array_get(json_object_get(doc, "inputs"), i);
		cr_assert_str_eq(json_string_value(json_object_get(row,
		    "input")), inputs[i]);
		cr_assert_eq(geti(row, "status"), statuses[i], "%s",
		    inputs[i]);
		if (statuses[i] == 65)
			continue;
		/* The same input alone: the same counts. */
		run_in(&s, top, "-n", "-f", "json", inputs[i], NULL, NULL,
		    NULL, NULL, NULL);
		cr_assert_eq(s.status, statuses[i], "%s: %s", inputs[i],
		    s.err);
		one = json_loads(s.out, 0, NULL);
		cr_assert(one != NULL, "%s", s.out);
		t = json_object_get(row, "totals");
		cr_assert(json_equal(t, json_object_get(one, "totals")),
		    "%s", inputs[i]);
		for (k = 0; k < 7; k++)
			sum[k] += geti(t, keys[k]);
		json_decref(one);
		tu_run_free(&s);
	}
	t = json_object_get(doc, "totals");
	for (k = 0; k < 7; k++)
		cr_assert_eq(geti(t, keys[k]), sum[k], "%s", keys[k]);
	cr_assert_eq(geti(t, "read"), 5 + 3 + 0 + 2);
	cr_assert_eq(geti(t, "removed"), 2 + 1);
	cr_assert_eq(geti(t, "inputs"), 5);
	cr_assert_eq(geti(json_object_get(t, "by_status"), "0"), 3);
	/* Per folder rows with their files. */
	row = row_of(doc, "in/b/Outlook.pst");
	cr_assert_eq(json_array_size(json_object_get(row, "folders")), 3);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(
	    json_object_get(row, "folders"), 0), "calendar")),
	    "out/b/Outlook-clean.ics");
	/* Every group and item names its input. */
	cr_assert_eq(json_array_size(json_object_get(doc, "groups")), 3);
	json_array_foreach(json_object_get(doc, "groups"), i, g) {
		cr_assert(json_string_value(json_object_get(g, "input")));
		cr_assert(json_string_value(json_object_get(json_object_get(g,
		    "kept"), "input")));
		cr_assert(json_string_value(json_object_get(json_array_get(
		    json_object_get(g, "removed"), 0), "input")));
	}
	json_decref(doc);
	tu_run_free(&r);

	/* Again into the same place: nothing replaced without --force. */
	p = join(top, "out/a/Outlook-clean.ics");
	ics = tu_slurp(p, NULL);
	run_in(&r, top, "-q", "-d", "out", "in", NULL, NULL, NULL, NULL,
	    NULL);
	cr_assert_eq(r.status, 73, "%d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "out/a/Outlook-clean.ics: already exists: "
	    "not replaced without --force") != NULL, "%s", r.err);
	line = tu_slurp(p, NULL);
	cr_assert_str_eq(line, ics);
	free(line);
	free(ics);
	free(p);
	tu_run_free(&r);
	tu_rmdir(top);
	free(top);
}

/* Everything a run writes, as one string: every file below dir. */
static void
tree(const char *dir, const char *rel, char **acc)
{
	struct tu_run	 r;
	char		*p = join(dir, rel);

	tu_run(&r, p, (char *const[]){ (char *)"/bin/sh", (char *)"-c",
	    (char *)"find . -type f | LC_ALL=C sort | while read f; do "
	    "echo \"== $f\"; cat \"$f\"; done", NULL });
	cr_assert_eq(r.status, 0);
	*acc = r.out;
	r.out = NULL;
	tu_run_free(&r);
	free(p);
}

Test(batch, jobs_1_and_4_identical)
{
	struct tu_run	 r;
	char		*top = fixture_dir(), *w1, *w4, *in, *t1, *t4, *r1, *r4;
	const char	*fmt[] = { "rep.json", "rep.csv", "rep.txt" };
	size_t		 i;

	in = join(top, "in");
	w1 = join(top, "w1");
	w4 = join(top, "w4");
	mkdir(w1, 0777);
	mkdir(w4, 0777);
	for (i = 0; i < 3; i++) {
		run_in(&r, w1, "-q", "-j", "1", "-d", "out", "-R", fmt[i],
		    in, i == 0 ? NULL : "--force");
		cr_assert_eq(r.status, 65, "%s", r.err);
		tu_run_free(&r);
		run_in(&r, w4, "-q", "-j", "4", "-d", "out", "-R", fmt[i],
		    in, i == 0 ? NULL : "--force");
		cr_assert_eq(r.status, 65, "%s", r.err);
		tu_run_free(&r);
	}
	tree(w1, ".", &t1);
	tree(w4, ".", &t4);
	cr_assert(strstr(t1, "== ./out/a/Outlook-clean.ics") != NULL, "%s",
	    t1);
	cr_assert(strstr(t1, "== ./rep.csv") != NULL);
	cr_assert_str_eq(t1, t4);
	free(t1);
	free(t4);
	for (i = 0; i < 3; i++) {
		t1 = join(w1, fmt[i]);
		t4 = join(w4, fmt[i]);
		r1 = tu_slurp(t1, NULL);
		r4 = tu_slurp(t4, NULL);
		cr_assert(r1 != NULL && r4 != NULL && *r1 != '\0');
		cr_assert_str_eq(r1, r4, "%s", fmt[i]);
		free(r1);
		free(r4);
		free(t1);
		free(t4);
	}
	free(in);
	free(w1);
	free(w4);
	tu_rmdir(top);
	free(top);
}

/* Parts run apart and combined = one run over the whole directory. */
Test(batch, combine_parts_equals_whole)
{
	struct tu_run	 r;
	json_t		*whole, *parts;
	char		*top = fixture_dir(), *csv;
	const char	*sub[] = { "a", "b", "c" };
	char		 d[32], in[32], rep[32];
	size_t		 i;

	run_in(&r, top, "-q", "-d", "out", "-R", "whole.json", "in", NULL,
	    NULL);
	cr_assert_eq(r.status, 65);
	tu_run_free(&r);
	for (i = 0; i < 3; i++) {
		snprintf(d, sizeof d, "part/%s", sub[i]);
		snprintf(in, sizeof in, "in/%s", sub[i]);
		snprintf(rep, sizeof rep, "%s.json", sub[i]);
		run_in(&r, top, "-q", "-d", d, "-R", rep, in, NULL, NULL);
		cr_assert_eq(r.status, i == 1 ? 65 : i == 2 ? 1 : 0, "%s: %s",
		    in, r.err);
		tu_run_free(&r);
	}
	run_in(&r, top, "--combine", "-R", "parts.json", "a.json", "b.json",
	    "c.json", NULL, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	whole = load(top, "whole.json");
	parts = load(top, "parts.json");
	cr_assert(json_equal(json_object_get(whole, "totals"),
	    json_object_get(parts, "totals")));
	cr_assert_eq(geti(parts, "status"), 65);
	/* The rows, but for where the calendars went. */
	cr_assert_eq(json_array_size(json_object_get(whole, "inputs")), 5);
	for (i = 0; i < 5; i++) {
		json_t	*a = json_array_get(json_object_get(whole, "inputs"),
		    i);
		json_t	*b = json_array_get(json_object_get(parts, "inputs"),
		    i);
		json_t	*f;
		size_t	 j;

		json_array_foreach(json_object_get(b, "folders"), j, f) {
			const char *c = json_string_value(json_object_get(f,
			    "calendar"));
			char	   *fixed;

			cr_assert(strncmp(c, "part/", 5) == 0, "%s", c);
			fixed = malloc(strlen(c) + 1);
			strcpy(fixed, "out/");
			strcat(fixed, c + 5);
			json_object_set_new(f, "calendar", json_string(fixed));
			free(fixed);
		}
		cr_assert(json_equal(a, b), "input %zu", i);
	}
	cr_assert(json_equal(json_object_get(whole, "groups"),
	    json_object_get(parts, "groups")));

	/* Any format: CSV to standard output, without a BOM. */
	run_in(&r, top, "--combine", "-f", "csv", "whole.json", NULL, NULL,
	    NULL, NULL, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strncmp(r.out, "record,input,status,", 20) == 0, "%s",
	    r.out);
	tu_run_free(&r);
	/* A bad report: a clear error. */
	tu_spit(csv = join(top, "bad.json"), "{\"x\":1}", 7);
	run_in(&r, top, "--combine", "-f", "csv", "bad.json", NULL, NULL,
	    NULL, NULL, NULL);
	cr_assert_eq(r.status, 65);
	cr_assert(strstr(r.err, "pstdedup: bad.json: cannot read: not a "
	    "pstdedup JSON report") != NULL, "%s", r.err);
	tu_run_free(&r);
	json_decref(whole);
	json_decref(parts);
	free(csv);
	tu_rmdir(top);
	free(top);
}

Test(batch, csv_for_excel)
{
	struct tu_run	 r;
	char		*top = fixture_dir(), *csv, *line;

	run_in(&r, top, "-q", "-n", "-R", "all.csv", "in", NULL, NULL, NULL);
	cr_assert_eq(r.status, 65, "%s", r.err);
	tu_run_free(&r);
	line = join(top, "all.csv");
	csv = tu_slurp(line, NULL);
	free(line);
	cr_assert(csv != NULL);
	/* A BOM in a file; CRLF rows; a total, a row per input. */
	cr_assert(strncmp(csv, "\xEF\xBB\xBFrecord,input,status,folder,read,",
	    35) == 0, "%s", csv);
	cr_assert(strstr(csv, "\r\ntotal,,65,,10,") != NULL, "%s", csv);
	cr_assert(strstr(csv, "\r\ninput,in/b/broken.pst,65,") != NULL);
	cr_assert(strstr(csv, "\r\ninput,in/c/empty.pst,1,") != NULL);
	/* The formula is text; dates Excel reads. */
	line = strstr(csv, "\r\nremoved,in/c/formula.pst,");
	cr_assert(line != NULL, "%s", csv);
	cr_assert(strstr(line, ",'=SUM(A1:A9),2024-07-10 09:00:00,"
	    "2024-07-10 10:00:00,") != NULL, "%.300s", line);
	cr_assert(strstr(csv, ",=SUM") == NULL);
	free(csv);
	/* No calendar with -n. */
	cr_assert(!exists(top, "a"));
	tu_rmdir(top);
	free(top);
}

Test(batch, inputs_by_content)
{
	char	*top = tu_tmpdir(), *p;

	tu_spit(p = join(top, "x.dat"), "!BDN\x01\x02\x03\x04", 8);
	cr_assert_eq(batch_kind(p), BATCH_PST);
	free(p);
	tu_spit(p = join(top, "cal.txt"), "\xEF\xBB\xBF\r\nBEGIN:VCALENDAR\r\n"
	    "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r\n",
	    80);
	cr_assert_eq(batch_kind(p), BATCH_ICS);
	free(p);
	tu_spit(p = join(top, "own.ics"), "BEGIN:VCALENDAR\r\nPRODID:-//"
	    "pstdedup//pstdedup 0.1.0//EN\r\n", 47);
	cr_assert_eq(batch_kind(p), BATCH_OWN_ICS);
	free(p);
	tu_spit(p = join(top, "x.pst"), "hello world", 11);
	cr_assert_eq(batch_kind(p), BATCH_OTHER);
	free(p);
	tu_rmdir(top);
	free(top);
}

Test(batch, worst_status_order)
{
	cr_assert_eq(combined_worse(0, 1), 1);
	cr_assert_eq(combined_worse(3, 1), 3);
	cr_assert_eq(combined_worse(3, 66), 66);
	cr_assert_eq(combined_worse(65, 66), 65);
	cr_assert_eq(combined_worse(65, 74), 74);
	cr_assert_eq(combined_worse(73, 74), 73);
	cr_assert_eq(combined_worse(73, 70), 70);
	cr_assert_eq(combined_worse(70, 0), 70);
}

Test(batch, usage)
{
	struct tu_run	 r;
	char		*top = fixture_dir();

	run_in(&r, top, "-o", "x.ics", "in", NULL, NULL, NULL, NULL, NULL);
	cr_assert_eq(r.status, 64);
	cr_assert(strstr(r.err, "pstdedup: -o names one file: not with "
	    "several inputs, a directory or -d") != NULL, "%s", r.err);
	tu_run_free(&r);
	run_in(&r, top, "-j", "0", "in", NULL, NULL, NULL, NULL, NULL);
	cr_assert_eq(r.status, 64);
	tu_run_free(&r);
	/* One HTML page for the whole run (test_report_html.c reads it). */
	run_in(&r, top, "-q", "-n", "-R", "all.html", "in", NULL, NULL, NULL,
	    NULL);
	cr_assert_eq(r.status, 65, "%s", r.err);
	cr_assert(exists(top, "all.html"));
	tu_run_free(&r);
	tu_rmdir(top);
	free(top);
}

/* SIGTERM to the parent while the workers write: they stop, and no
 * output, temporary or report is left anywhere. */
/* Every entry of dir (if it exists) is a finished NAME-clean.ics that
 * libical reads without error and that ends with END:VCALENDAR. */
static void
whole_calendars_only(const char *dir)
{
	struct dirent	*de;
	icalcomponent	*cal;
	DIR		*d;
	char		*text, *p;
	size_t		 n;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' && (de->d_name[1] == '\0' ||
		    (de->d_name[1] == '.' && de->d_name[2] == '\0')))
			continue;
		n = strlen(de->d_name);
		cr_assert(n > 10 && strcmp(de->d_name + n - 10,
		    "-clean.ics") == 0, "left behind: %s", de->d_name);
		p = tu_path(dir, de->d_name);
		text = tu_slurp(p, &n);
		cr_assert(n >= 15 && memcmp(text + n - 15,
		    "END:VCALENDAR\r\n", 15) == 0, "partial: %s", p);
		cal = tu_ics_load(dir, de->d_name);
		cr_assert_not_null(cal);
		icalcomponent_free(cal);
		free(text);
		free(p);
	}
	closedir(d);
}

Test(batch, interrupted_run_leaves_nothing)
{
	struct tu_run	 r;
	struct timespec	 ts = { 0, 400 * 1000 * 1000 };
	char		*top = tu_tmpdir(), *in, *a, *b, *out, *tmp, *rep;
	pid_t		 pid;
	int		 st;

	in = join(top, "in");
	out = join(top, "out");
	tmp = join(top, "tmp");
	rep = join(top, "rep.json");
	mkdir(in, 0777);
	mkdir(tmp, 0777);
	a = join(in, "a.pst");
	b = join(in, "b.pst");
	/* Big enough that the signal comes while both workers still
	 * work: a worker that has published before it is not taken back
	 * (batch.c). */
	tu_run(&r, NULL, (char *const[]){ (char *)tu_env("MKPST"),
	    (char *)"--synth", (char *)"12000", (char *)"-o", a, NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	tu_run(&r, NULL, (char *const[]){ (char *)"/bin/cp", a, b, NULL });
	tu_run_free(&r);
	if ((pid = fork()) == 0) {
		int	fd = open("/dev/null", O_RDWR);

		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		setenv("TMPDIR", tmp, 1);
		execl(tu_pstdedup(), "pstdedup", "-j", "2", "-d", out, "-R",
		    rep, in, (char *)NULL);
		_exit(127);
	}
	cr_assert(pid > 0);
	nanosleep(&ts, NULL);
	kill(pid, SIGTERM);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	if (WIFEXITED(st))
		cr_skip_test("the run finished before the signal (status %d)",
		    WEXITSTATUS(st));
	cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	/* No partial output: no report, no temporary, no worker's; a
	 * calendar is there only if its input was done before the signal,
	 * and then whole. */
	cr_assert(!exists(top, "rep.json"));
	cr_assert_eq(tu_count_entries(tmp), 0);
	whole_calendars_only(out);
	cr_assert_eq(tu_count_entries(in), 2);
	free(a);
	free(b);
	free(in);
	free(out);
	free(tmp);
	free(rep);
	tu_rmdir(top);
	free(top);
}

/* The same user's meetings split over two files: alone, neither has a
 * duplicate; merged, the copies across the files are found and the one
 * calendar is written under the first input's name. */
static const char half_a[] =
"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//pstdedup//test_batch//EN\r\n"
"BEGIN:VEVENT\r\nUID:review@example.com\r\nSUMMARY:Design review\r\n"
"DTSTART:20240710T090000Z\r\nDTEND:20240710T100000Z\r\n"
"X-PST-CREATOR:Alex Example\r\nEND:VEVENT\r\n"
"BEGIN:VEVENT\r\nUID:lunch@example.com\r\nSUMMARY:Lunch\r\n"
"DTSTART:20240711T110000Z\r\nDTEND:20240711T120000Z\r\n"
"X-PST-CREATOR:Alex Example\r\nEND:VEVENT\r\n"
"END:VCALENDAR\r\n";
static const char half_b[] =
"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//pstdedup//test_batch//EN\r\n"
"BEGIN:VEVENT\r\nUID:review@example.com\r\nSUMMARY:Design review\r\n"
"DTSTART:20240710T090000Z\r\nDTEND:20240710T100000Z\r\n"
"X-PST-CREATOR:Calendar Repair Assistant\r\nEND:VEVENT\r\n"
"BEGIN:VEVENT\r\nUID:dentist@example.com\r\nSUMMARY:Dentist\r\n"
"DTSTART:20240712T090000Z\r\nDTEND:20240712T100000Z\r\n"
"X-PST-CREATOR:Alex Example\r\nEND:VEVENT\r\n"
"END:VCALENDAR\r\n";

Test(batch, merge_finds_copies_across_files)
{
	struct tu_run	 r;
	json_t		*rep, *t;
	char		*top = tu_tmpdir(), *p, *ics;

	mkpst_text_at(top, "exchange.pst", half_a);
	mkpst_text_at(top, "owa.pst", half_b);
	run_in(&r, top, "-q", "-n", "-f", "json", "exchange.pst");
	cr_assert_eq(r.status, 0, "%s", r.err);
	rep = json_loads(r.out, 0, NULL);
	cr_assert_eq(geti(json_object_get(rep, "totals"), "removed"), 0);
	json_decref(rep);
	tu_run_free(&r);

	run_in(&r, top, "-q", "--merge", "-R", "m.json", "exchange.pst",
	    "owa.pst");
	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	rep = load(top, "m.json");
	t = json_object_get(rep, "totals");
	cr_assert_eq(geti(t, "read"), 4);
	cr_assert_eq(geti(t, "kept"), 3);
	cr_assert_eq(geti(t, "removed"), 1);
	json_decref(rep);
	ics = tu_slurp(p = join(top, "exchange-clean.ics"), NULL);
	cr_assert(ics != NULL);
	cr_assert_eq(tu_count(ics, "BEGIN:VEVENT"), 3, "%s", ics);
	cr_assert_eq(tu_count(ics, "UID:review@example.com"), 1, "%s", ics);
	cr_assert(strstr(ics, "SUMMARY:Dentist") != NULL);
	cr_assert(strstr(ics, "SUMMARY:Lunch") != NULL);
	free(ics);
	free(p);
	cr_assert(!exists(top, "owa-clean.ics"));

	run_in(&r, top, "--merge", "-d", "out", "exchange.pst", "owa.pst");
	cr_assert_eq(r.status, 64);
	tu_run_free(&r);
	tu_rmdir(top);
	free(top);
}

/* The fixture tests/data/name copied to top/rel. */
static void
copy_data(const char *name, const char *top, const char *rel)
{
	char	*dir, *src, *data, *p;
	size_t	 len;

	dir = tu_path(tu_env("TEST_SRCDIR"), "data");
	src = tu_path(dir, name);
	free(dir);
	data = tu_slurp(src, &len);
	cr_assert_not_null(data, "%s", src);
	tu_spit(p = join(top, rel), data, len);
	free(p);
	free(data);
	free(src);
}

/*
 * .ics inputs in a directory beside PSTs (issue 12: "a directory of
 * fixture PSTs and .ics files"):
 *
 * in/x/cal.ics		duplicates.ics as an .ics: 5 read, 3 kept
 * in/x/cal.pst		the same as a PST: the same output name as
 *			cal.ics, so not run (73), cal.ics's file kept
 * in/y/export.txt	meetings.ics under another name: read by content
 */
Test(batch, ics_inputs_beside_psts)
{
	static const char *const inputs[] = { "in/x/cal.ics", "in/x/cal.pst",
	    "in/y/export.txt" };
	static const int statuses[] = { 0, 73, 0 };
	struct tu_run	 r, s;
	json_t		*doc, *one, *row, *f;
	char		*top = tu_tmpdir(), *p, *ics;
	size_t		 i, j;

	mkdirs(top, "in");
	mkdirs(top, "in/x");
	mkdirs(top, "in/y");
	copy_data("duplicates.ics", top, "in/x/cal.ics");
	p = join(top, "in/x/cal.pst");
	tu_mkpst("duplicates.ics", p);
	free(p);
	copy_data("meetings.ics", top, "in/y/export.txt");

	run_in(&r, top, "-j", "2", "-d", "out", "-R", "all.json", "in", NULL);
	cr_assert_eq(r.status, 73, "%d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "pstdedup: in/x/cal.pst: cannot create "
	    "out/x/cal-clean.ics: also the output of in/x/cal.ics") != NULL,
	    "%s", r.err);
	doc = load(top, "all.json");
	cr_assert_eq(json_array_size(json_object_get(doc, "inputs")), 3);
	for (i = 0; i < 3; i++) {
		row = row_of(doc, inputs[i]);
		cr_assert_eq(geti(row, "status"), statuses[i], "%s",
		    inputs[i]);
		if (statuses[i] != 0)
			continue;
		/* The same input alone: the same counts. */
		run_in(&s, top, "-n", "-f", "json", inputs[i], NULL, NULL,
		    NULL, NULL, NULL);
		cr_assert_eq(s.status, 0, "%s: %s", inputs[i], s.err);
		one = json_loads(s.out, 0, NULL);
		cr_assert(one != NULL, "%s", s.out);
		cr_assert(json_equal(json_object_get(row, "totals"),
		    json_object_get(one, "totals")), "%s", inputs[i]);
		cr_assert_gt(geti(json_object_get(row, "totals"), "kept"), 0);
		json_decref(one);
		tu_run_free(&s);
		/* Its calendar is where the row says, with its events. */
		cr_assert_eq(json_array_size(json_object_get(row, "folders")),
		    1);
		json_array_foreach(json_object_get(row, "folders"), j, f) {
			ics = tu_slurp(p = join(top, json_string_value(
			    json_object_get(f, "calendar"))), NULL);
			cr_assert_not_null(ics, "%s", p);
			cr_assert_eq(tu_count(ics, "BEGIN:VEVENT"),
			    (int)geti(f, "kept"), "%s", p);
			free(ics);
			free(p);
		}
	}
	/* cal.ics's file, untouched by cal.pst: 3 kept of 5. */
	ics = tu_slurp(p = join(top, "out/x/cal-clean.ics"), NULL);
	cr_assert_not_null(ics);
	cr_assert_eq(tu_count(ics, "BEGIN:VEVENT"), 3, "%s", ics);
	cr_assert_eq(geti(json_object_get(row_of(doc, "in/x/cal.ics"),
	    "totals"), "read"), 5);
	free(ics);
	free(p);
	cr_assert_eq(tu_count_entries(p = join(top, "out/x")), 1);
	free(p);
	json_decref(doc);
	tu_run_free(&r);
	tu_rmdir(top);
	free(top);
}
