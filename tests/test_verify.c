/* test_verify.c: the written calendar read back and checked (verify.c). */
#include <criterion/criterion.h>
#include <dirent.h>
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dedup.h"
#include "outfile.h"
#include "reader.h"
#include "testutil.h"
#include "verify.h"
#include "writer.h"

/* One input read and grouped, and its two files rendered as text. */
struct vrun {
	struct reader_result	 rr;
	struct dedup_result	 dr;
	struct appt		**kept, **removed;
	size_t			 nkept, nremoved;
	char			*cal, *rem;	/* rendered text */
	size_t			 callen, remlen;
};

static char *
render(struct appt **v, size_t n, size_t *len)
{
	char *text = NULL, *cause = NULL;
	FILE *fp;

	cr_assert_not_null(fp = open_memstream(&text, len));
	cr_assert_eq(writer_render(v, n, NULL, fp, &cause), 0, "render: %s",
	    cause);
	cr_assert_eq(fclose(fp), 0);
	return text;
}

/* Read path; 0, or -1 when the reader refuses it (for the corpus). */
static int
vrun_load(struct vrun *r, const char *path, int all)
{
	struct reader_opts ro;
	struct dedup_opts dopts;
	char *cause = NULL;
	size_t i;

	memset(r, 0, sizeof *r);
	memset(&ro, 0, sizeof ro);
	ro.all_folders = all;
	if (reader_read(path, &ro, &r->rr, &cause) != 0) {
		free(cause);
		return -1;
	}
	memset(&dopts, 0, sizeof dopts);
	cr_assert_eq(dedup_run(&r->rr.appts, &dopts, &r->dr, &cause), 0,
	    "%s: dedup: %s", path, cause);
	r->kept = calloc(r->rr.appts.n + 1, sizeof *r->kept);
	r->removed = calloc(r->rr.appts.n + 1, sizeof *r->removed);
	cr_assert(r->kept != NULL && r->removed != NULL);
	for (i = 0; i < r->rr.appts.n; i++) {
		if (r->dr.dup_of[i] == DEDUP_KEPT)
			r->kept[r->nkept++] = r->rr.appts.v[i];
		else
			r->removed[r->nremoved++] = r->rr.appts.v[i];
	}
	r->cal = render(r->kept, r->nkept, &r->callen);
	r->rem = render(r->removed, r->nremoved, &r->remlen);
	return 0;
}

static void
vrun_free(struct vrun *r)
{
	free(r->cal);
	free(r->rem);
	free(r->kept);
	free(r->removed);
	dedup_result_free(&r->dr);
	reader_result_free(&r->rr);
}

/* verify_ics on text; 0 or -1 with *cause. */
static int
check_text(const char *text, size_t len, struct appt **v, size_t n,
    int shared, struct verify_stats *stats, char **cause)
{
	struct verify_opts o;
	FILE *fp;
	int error;

	memset(&o, 0, sizeof o);
	o.shared_uids = shared;
	o.stats = stats;
	*cause = NULL;
	cr_assert_not_null(fp = fmemopen((void *)text, len, "r"));
	error = verify_ics(fp, v, n, &o, cause);
	fclose(fp);
	return error;
}

/* Build the fixture's PST in dir. */
static char *
fixture_pst(const char *dir, const char *name)
{
	char *pst, *base;

	base = strdup(name);
	cr_assert_not_null(base);
	strcpy(strrchr(base, '.'), ".pst");
	pst = tu_path(dir, base);
	free(base);
	tu_mkpst(name, pst);
	return pst;
}

static void
load_fixture(struct vrun *r, const char *dir, const char *name, int all)
{
	char *pst = fixture_pst(dir, name);

	cr_assert_eq(vrun_load(r, pst, all), 0, "%s: not read", name);
	free(pst);
}

/* Both files of a run pass. */
static void
assert_passes(struct vrun *r, const char *what)
{
	struct verify_stats st;
	char *cause;

	cr_assert_eq(check_text(r->cal, r->callen, r->kept, r->nkept, 1, &st,
	    &cause), 0, "%s: clean calendar: %s", what, cause);
	cr_assert_geq(st.events, r->nkept, "%s: %zu events for %zu items",
	    what, st.events, r->nkept);
	cr_assert_eq(check_text(r->rem, r->remlen, r->removed, r->nremoved, 1,
	    NULL, &cause), 0, "%s: removed copies: %s", what, cause);
}

/* Calls fn once for each fixture tests/data/NAME.ics, with a scratch
 * directory for its PST; at least 15 fixtures must be there. */
static void
each_fixture(void (*fn)(const char *, const char *))
{
	const char *src = tu_env("TEST_SRCDIR");
	struct dirent *de;
	char *data, *dir;
	size_t nfix = 0, len;
	DIR *d;

	if (src == NULL)
		cr_skip_test("TEST_SRCDIR not set (run through make check)");
	data = tu_path(src, "data");
	dir = tu_tmpdir();
	cr_assert_not_null(d = opendir(data));
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 5 || strcmp(de->d_name + len - 4, ".ics") != 0)
			continue;
		fn(dir, de->d_name);
		nfix++;
	}
	closedir(d);
	cr_assert_geq(nfix, 15, "only %zu fixtures", nfix);
	tu_rmdir(dir);
	free(dir);
	free(data);
}

static void
fixture_passes(const char *dir, const char *name)
{
	struct vrun r;
	char what[512];
	int all;

	for (all = 0; all < 2; all++) {
		load_fixture(&r, dir, name, all);
		snprintf(what, sizeof what, "%s%s", name, all ? " -a" : "");
		assert_passes(&r, what);
		vrun_free(&r);
	}
}

Test(verify, every_fixture)
{
	each_fixture(fixture_passes);
}

/* Remove what a run wrote into dir: out*.ics and removed*.ics. */
static int
unlink_outputs(const char *dir)
{
	struct dirent *de;
	char *p;
	int n = 0;
	DIR *d;

	cr_assert_not_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "out", 3) != 0 &&
		    strncmp(de->d_name, "removed", 7) != 0)
			continue;
		p = tu_path(dir, de->d_name);
		cr_assert_eq(unlink(p), 0, "%s", p);
		free(p);
		n++;
	}
	closedir(d);
	return n;
}

/* The program verifies what it writes: every fixture passes, with and
 * without -a, to files and to standard output. */
Test(verify, pipeline_every_fixture)
{
	const char *src = tu_env("TEST_SRCDIR"), *prog = tu_pstdedup();
	struct dirent *de;
	struct tu_run tr;
	char *data, *dir, *pst, *out, *rem, *text;
	size_t len, nfix = 0;
	DIR *d;
	int all;

	if (src == NULL)
		cr_skip_test("TEST_SRCDIR not set (run through make check)");
	data = tu_path(src, "data");
	dir = tu_tmpdir();
	out = tu_path(dir, "out.ics");
	rem = tu_path(dir, "removed.ics");
	cr_assert_not_null(d = opendir(data));
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 5 || strcmp(de->d_name + len - 4, ".ics") != 0)
			continue;
		pst = fixture_pst(dir, de->d_name);
		for (all = 0; all < 2; all++) {
			tu_run(&tr, NULL, (char *const[]){ (char *)prog,
			    (char *)"-q", (char *)"-o", out, (char *)"-r", rem,
			    all ? (char *)"-a" : pst, all ? pst : NULL, NULL });
			/* 1: nothing to write (no calendar), and no file. */
			cr_assert(tr.status == 0 || tr.status == 3 ||
			    tr.status == 1, "%s%s: status %d: %s", de->d_name,
			    all ? " -a" : "", tr.status, tr.err);
			cr_assert_null(strstr(tr.err, "verify"), "%s: %s",
			    de->d_name, tr.err);
			if (tr.status == 1) {
				cr_assert_eq(tu_count_entries(dir), 1);
				tu_run_free(&tr);
				continue;
			}
			cr_assert_not_null(text = tu_slurp(out, NULL));
			cr_assert_not_null(strstr(text, "END:VCALENDAR\r\n"));
			free(text);
			/* out.ics, removed.ics and the other folders'
			 * out-FOLDER.ics and removed-FOLDER.ics. */
			cr_assert_geq(unlink_outputs(dir), 2);
			tu_run_free(&tr);
		}
		/* Standard output gets the same, verified, text (when one
		 * file is written; with more, -o - is refused: 64). */
		tu_run(&tr, NULL, (char *const[]){ (char *)prog, (char *)"-q",
		    (char *)"-o", (char *)"-", pst, NULL });
		cr_assert(tr.status == 0 || tr.status == 3 || tr.status == 1 ||
		    (tr.status == 64 && strstr(tr.err, "-o -: ") != NULL),
		    "%s -o -: %d %s", de->d_name, tr.status, tr.err);
		cr_assert(tr.status == 1 || tr.status == 64 ||
		    (strncmp(tr.out,
		    "BEGIN:VCALENDAR\r\n", 17) == 0 && strstr(tr.out,
		    "END:VCALENDAR\r\n") != NULL), "%s -o -", de->d_name);
		tu_run_free(&tr);
		cr_assert_eq(unlink(pst), 0);
		free(pst);
		nfix++;
	}
	closedir(d);
	cr_assert_geq(nfix, 15);
	cr_assert_eq(tu_count_entries(dir), 0, "something left behind");
	tu_rmdir(dir);
	free(out);
	free(rem);
	free(dir);
	free(data);
}

/* ---- tampering: the writer's text changed after the fact ------------ */

/* The start of the n-th (0-based) line beginning with prefix after from. */
static char *
find_line(char *text, const char *from, const char *prefix, int n)
{
	char *p = text, *q;
	size_t len = strlen(prefix);

	if (from != NULL) {
		cr_assert_not_null(p = strstr(text, from), "no %s", from);
	}
	for (; (q = strstr(p, "\r\n")) != NULL; p = q + 2) {
		if (strncmp(q + 2, prefix, len) == 0 && n-- == 0)
			return q + 2;
	}
	cr_assert_fail("no line %s", prefix);
	return NULL;
}

/* The end of the logical line at p (past its continuation lines). */
static char *
line_end(char *p)
{
	char *q;

	for (q = strstr(p, "\r\n"); q != NULL && (q[2] == ' ' || q[2] == '\t');
	    q = strstr(q + 2, "\r\n"))
		;
	cr_assert_not_null(q);
	return q + 2;
}

/* text with [a, b) replaced by ins. */
static char *
splice(const char *text, const char *a, const char *b, const char *ins,
    size_t inslen)
{
	size_t pre = (size_t)(a - text), post = strlen(b);
	char *s = malloc(pre + inslen + post + 1);

	cr_assert_not_null(s);
	memcpy(s, text, pre);
	memcpy(s + pre, ins, inslen);
	memcpy(s + pre + inslen, b, post + 1);
	return s;
}

/* The tampered calendar must fail, naming want. */
static void
assert_fails(struct vrun *r, char *text, const char *want)
{
	char *cause;

	cr_assert_neq(check_text(text, strlen(text), r->kept, r->nkept, 1,
	    NULL, &cause), 0, "tampered text (%s) passed", want);
	cr_assert_not_null(strstr(cause, want), "cause \"%s\" lacks \"%s\"",
	    cause, want);
	free(cause);
	free(text);
}

/* A fixture read, its PST gone again. */
static void
load_tamper(struct vrun *r, const char *name)
{
	char *dir = tu_tmpdir();

	load_fixture(r, dir, name, 0);
	tu_rmdir(dir);
	free(dir);
}

Test(tamper, untouched_passes)
{
	struct vrun r;
	char *cause;

	load_tamper(&r, "exceptions.ics");
	cr_assert_eq(check_text(r.cal, r.callen, r.kept, r.nkept, 0, NULL,
	    &cause), 0, "%s", cause);
	vrun_free(&r);
}

Test(tamper, changed_dtstart)
{
	struct vrun r;
	char *p, *colon;

	load_tamper(&r, "singles.ics");
	p = find_line(r.cal, "BEGIN:VEVENT", "DTSTART", 0);
	cr_assert_not_null(colon = strchr(p, ':'));
	/* The day's last digit, off by one. */
	colon[8] = colon[8] == '1' ? '2' : '1';
	assert_fails(&r, strdup(r.cal), "DTSTART: expected");
	vrun_free(&r);
}

Test(tamper, missing_event)
{
	struct vrun r;
	char *a, *b;

	load_tamper(&r, "singles.ics");
	a = find_line(r.cal, NULL, "BEGIN:VEVENT", 1);
	cr_assert_not_null(b = strstr(a, "END:VEVENT\r\n"));
	assert_fails(&r, splice(r.cal, a, b + 12, "", 0),
	    "no event in the file");
	vrun_free(&r);
}

Test(tamper, duplicated_master)
{
	struct vrun r;
	char *a, *b;

	load_tamper(&r, "singles.ics");
	a = find_line(r.cal, NULL, "BEGIN:VEVENT", 0);
	cr_assert_not_null(b = strstr(a, "END:VEVENT\r\n"));
	b += 12;
	/* The event once more right after itself. */
	assert_fails(&r, splice(r.cal, b, b, a, (size_t)(b - a)),
	    "a second master event");
	vrun_free(&r);
}

Test(tamper, dropped_exdate)
{
	struct vrun r;
	char *a;

	load_tamper(&r, "exceptions.ics");
	a = find_line(r.cal, "BEGIN:VEVENT", "EXDATE", 0);
	assert_fails(&r, splice(r.cal, a, line_end(a), "", 0), "EXDATE");
	vrun_free(&r);
}

Test(tamper, dropped_override)
{
	struct vrun r;
	char *a, *b;

	load_tamper(&r, "exceptions.ics");
	b = find_line(r.cal, "BEGIN:VEVENT", "RECURRENCE-ID", 0);
	/* Back to the BEGIN:VEVENT of the override. */
	for (a = b; strncmp(a, "BEGIN:VEVENT\r\n", 14) != 0; a--)
		;
	cr_assert_not_null(b = strstr(a, "END:VEVENT\r\n"));
	assert_fails(&r, splice(r.cal, a, b + 12, "", 0),
	    "RECURRENCE-ID");
	vrun_free(&r);
}

Test(tamper, dropped_attendee)
{
	struct vrun r;
	char *a;

	load_tamper(&r, "meetings.ics");
	a = find_line(r.cal, "BEGIN:VEVENT", "ATTENDEE", 0);
	assert_fails(&r, splice(r.cal, a, line_end(a), "", 0),
	    "ATTENDEE: expected");
	vrun_free(&r);
}

Test(tamper, changed_summary)
{
	struct vrun r;
	char *a;

	load_tamper(&r, "singles.ics");
	a = find_line(r.cal, "BEGIN:VEVENT", "SUMMARY:", 0);
	a += strlen("SUMMARY:");
	assert_fails(&r, splice(r.cal, a, a, "Not ", 4), "SUMMARY: expected");
	vrun_free(&r);
}

Test(tamper, changed_rrule)
{
	struct vrun r;
	char *a, *c;

	load_tamper(&r, "exceptions.ics");
	a = find_line(r.cal, "BEGIN:VEVENT", "RRULE:", 0);
	cr_assert_not_null(c = strstr(a, "COUNT="));
	c += strlen("COUNT=");
	assert_fails(&r, splice(r.cal, c, c, "1", 1), "RRULE: COUNT");
	vrun_free(&r);
}

Test(tamper, changed_zone)
{
	struct vrun r;
	char *a;

	/* Standard time an hour off: the series starts in winter. */
	load_tamper(&r, "exceptions.ics");
	a = find_line(r.cal, "BEGIN:STANDARD", "TZOFFSETTO:", 0);
	a += strlen("TZOFFSETTO:");
	cr_assert_eq(strncmp(a, "+0100", 5), 0);
	assert_fails(&r, splice(r.cal, a, a + 5, "+0000", 5),
	    "DTSTART: 20240305T100000 local is +0 min from UTC in the file's "
	    "VTIMEZONE, +60 in the item's zone");
	vrun_free(&r);
}

Test(tamper, truncated)
{
	struct vrun r;
	char *a;

	load_tamper(&r, "singles.ics");
	a = find_line(r.cal, NULL, "END:VCALENDAR", 0);
	assert_fails(&r, splice(r.cal, a, a + strlen(a), "", 0),
	    "before END:VCALENDAR");
	vrun_free(&r);
}

Test(tamper, shared_uid_strict)
{
	struct vrun r;
	struct appt *two[2];
	char *cause;

	load_tamper(&r, "singles.ics");
	cr_assert_geq(r.nkept, 1);
	/* One item twice: the UID is shared, which strict mode refuses
	 * before reading anything. */
	two[0] = two[1] = r.kept[0];
	cr_assert_neq(check_text(r.cal, r.callen, two, 2, 0, NULL, &cause),
	    0);
	cr_assert_not_null(strstr(cause, "shared with"), "%s", cause);
	free(cause);
	vrun_free(&r);
}

/* ---- bounded memory ------------------------------------------------- */

/* Synthetic items: what verify holds for one event does not grow with
 * the number of events. */
Test(verify, bounded)
{
	const char *mkpst = tu_env("MKPST");
	struct verify_stats st;
	struct tu_run tr;
	struct vrun r;
	char *dir, *pst, *cause;

	if (mkpst == NULL)
		cr_skip_test("MKPST not set (run through make check)");
	dir = tu_tmpdir();
	pst = tu_path(dir, "synth.pst");
	tu_run(&tr, NULL, (char *const[]){ (char *)mkpst, (char *)"--synth",
	    (char *)"20000", (char *)"-o", pst, NULL });
	cr_assert_eq(tr.status, 0, "mkpst --synth: %s", tr.err);
	tu_run_free(&tr);
	cr_assert_eq(vrun_load(&r, pst, 0), 0);
	cr_assert_geq(r.nkept, 15000);
	cr_assert_eq(check_text(r.cal, r.callen, r.kept, r.nkept, 1, &st,
	    &cause), 0, "%s", cause);
	cr_assert_geq(st.events, r.nkept);
	/* One event's small properties, not the calendar (megabytes). */
	cr_assert_lt(st.max_chunk, 8192, "a chunk of %zu bytes",
	    st.max_chunk);
	cr_assert_gt(r.callen, 100 * st.max_chunk);
	vrun_free(&r);
	free(pst);
	tu_rmdir(dir);
	free(dir);
}

/* ---- the corpus ----------------------------------------------------- */

Test(verify, corpus)
{
	const char *dir = tu_env("PSTDEDUP_CORPUS");
	struct dirent *de;
	struct stat sb;
	struct vrun r;
	char *path, what[512];
	size_t len, nread = 0;
	DIR *d;
	int all;

	if (dir == NULL || stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode) ||
	    (d = opendir(dir)) == NULL)
		cr_skip_test("PSTDEDUP_CORPUS not set or not a directory");
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 5 || (strcmp(de->d_name + len - 4, ".pst") != 0 &&
		    strcmp(de->d_name + len - 4, ".ost") != 0))
			continue;
		path = tu_path(dir, de->d_name);
		for (all = 0; all < 2; all++) {
			if (vrun_load(&r, path, all) != 0)
				continue;	/* test_corpus checks why */
			snprintf(what, sizeof what, "%s%s", de->d_name,
			    all ? " -a" : "");
			assert_passes(&r, what);
			vrun_free(&r);
			nread++;
		}
		free(path);
	}
	closedir(d);
	cr_assert_geq(nread, 10, "only %zu corpus runs", nread);
}

/* ---- reading an output back ----------------------------------------- */

static char *
read_all(FILE *fp)
{
	char *s = NULL;
	size_t len = 0, n;
	char buf[256];

	while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
		s = realloc(s, len + n + 1);
		cr_assert_not_null(s);
		memcpy(s + len, buf, n);
		len += n;
	}
	if (s == NULL)
		s = strdup("");
	else
		s[len] = '\0';
	return s;
}

Test(outfile_reread, file_and_device)
{
	struct outfile *of;
	char *dir, *path, *cause = NULL, *s;
	FILE *fp;

	dir = tu_tmpdir();
	path = tu_path(dir, "out.ics");
	cr_assert_eq(outfile_open(path, &of, &cause), 0, "%s", cause);
	fputs("BEGIN:VCALENDAR\r\n", outfile_fp(of));
	cr_assert_not_null(fp = outfile_reread(of, &cause), "%s", cause);
	s = read_all(fp);
	fclose(fp);
	cr_assert_str_eq(s, "BEGIN:VCALENDAR\r\n");
	free(s);
	/* Not there before commit, whole after it. */
	cr_assert_eq(tu_count_entries(dir), 1);
	cr_assert_null(tu_slurp(path, NULL));
	cr_assert_eq(outfile_commit(of, &cause), 0, "%s", cause);
	cr_assert_not_null(s = tu_slurp(path, NULL));
	cr_assert_str_eq(s, "BEGIN:VCALENDAR\r\n");
	free(s);

	/* A device is staged in a scratch file, so it reads back too. */
	cr_assert_eq(outfile_open("/dev/null", &of, &cause), 0, "%s", cause);
	fputs("x\n", outfile_fp(of));
	cr_assert_not_null(fp = outfile_reread(of, &cause), "%s", cause);
	s = read_all(fp);
	fclose(fp);
	cr_assert_str_eq(s, "x\n");
	free(s);
	cr_assert_eq(outfile_commit(of, &cause), 0, "%s", cause);
	tu_rmdir(dir);
	free(path);
	free(dir);
}

/* ---- the check on a second thread, fed while the writer writes ---- */

/* Render v[0..n) with the text handed to a thread that checks it
 * against want[0..nwant); the text in *text. The thread's result on
 * the text with edit() applied to it (when not NULL). */
static int
async_run(struct appt **v, size_t n, struct appt **want, size_t nwant,
    void (*edit)(char *, size_t *), char **cause)
{
	struct verify_opts vo;
	struct writer_opts wo;
	struct verify_async *va;
	char *text = NULL, *wcause = NULL;
	size_t len = 0;
	FILE *fp;
	int error;

	memset(&vo, 0, sizeof vo);
	vo.shared_uids = 1;
	memset(&wo, 0, sizeof wo);
	cr_assert_not_null(va = verify_async_start(want, nwant, &vo));
	wo.emit = verify_async_put;
	wo.emit_arg = va;
	cr_assert_not_null(fp = open_memstream(&text, &len));
	cr_assert_eq(writer_render(v, n, &wo, fp, &wcause), 0, "render: %s",
	    wcause);
	cr_assert_eq(fclose(fp), 0);
	if (edit != NULL)
		edit(text, &len);
	cr_assert_not_null(fp = fmemopen(text, len, "r"));
	error = verify_async_end(va, fp, cause);
	fclose(fp);
	free(text);
	return error;
}

static void
fixture_passes_async(const char *dir, const char *name)
{
	struct vrun r;
	char *cause = NULL;

	load_fixture(&r, dir, name, 1);
	cr_assert_eq(async_run(r.kept, r.nkept, r.kept, r.nkept, NULL,
	    &cause), 0, "%s: clean calendar: %s", name, cause);
	cr_assert_eq(async_run(r.removed, r.nremoved, r.removed, r.nremoved,
	    NULL, &cause), 0, "%s: removed: %s", name, cause);
	vrun_free(&r);
}

Test(async, every_fixture)
{
	each_fixture(fixture_passes_async);
}

/* Two time zones in one calendar: libical writes the second VTIMEZONE
 * before the first, and the check while writing must not mind (a
 * fuzzed PST failed with status 70 over it). */
Test(async, two_zones_in_one_calendar)
{
	static const char text[] =
	    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
	    "BEGIN:VTIMEZONE\r\nTZID:Zone A\r\nBEGIN:STANDARD\r\n"
	    "DTSTART:16010101T000000\r\nTZOFFSETFROM:+0100\r\n"
	    "TZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
	    "BEGIN:VTIMEZONE\r\nTZID:Zone B\r\nBEGIN:STANDARD\r\n"
	    "DTSTART:16010101T000000\r\nTZOFFSETFROM:-0500\r\n"
	    "TZOFFSETTO:-0500\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
	    "BEGIN:VEVENT\r\nUID:z1\r\nSUMMARY:in A\r\n"
	    "DTSTART;TZID=Zone A:20240301T100000\r\n"
	    "DTEND;TZID=Zone A:20240301T110000\r\nEND:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:z2\r\nSUMMARY:in B\r\n"
	    "DTSTART;TZID=Zone B:20240302T100000\r\n"
	    "DTEND;TZID=Zone B:20240302T110000\r\nEND:VEVENT\r\n"
	    "END:VCALENDAR\r\n";
	struct tu_run	 r;
	char		*dir, *in, *out, *cal;

	dir = tu_tmpdir();
	in = tu_path(dir, "zones.ics");
	tu_spit(in, text, sizeof text - 1);
	tu_pstdedup_run(&r, dir, "zones.ics", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	out = tu_path(dir, "zones-clean.ics");
	cal = tu_slurp(out, NULL);
	cr_assert_not_null(cal);
	cr_assert(strstr(cal, "TZID:Zone A\r\n") != NULL, "%s", cal);
	cr_assert(strstr(cal, "TZID:Zone B\r\n") != NULL, "%s", cal);
	free(cal);
	free(out);
	tu_run_free(&r);
	free(in);
	tu_rmdir(dir);
	free(dir);
}

/* One letter of the first SUMMARY changed. */
static void
edit_summary(char *text, size_t *len)
{
	char *p = strstr(text, "\r\nSUMMARY:");

	cr_assert_not_null(p);
	p[10] = p[10] == 'x' ? 'y' : 'x';
}

/* One letter of the calendar's name changed. */
static void
edit_head(char *text, size_t *len)
{
	char *p = strstr(text, "\r\nX-WR-CALNAME:");

	(void)len;
	if (p == NULL)
		p = strstr(text, "\r\nPRODID:");
	cr_assert_not_null(p);
	p[3] = p[3] == 'x' ? 'y' : 'x';
}

/* The last event and END:VCALENDAR cut off. */
static void
edit_truncate(char *text, size_t *len)
{
	char *p = strstr(text, "BEGIN:VEVENT\r\n");

	cr_assert_not_null(p);
	*len = (size_t)(p - text) + 100;
}

/* Nothing after the events. */
static void
edit_noend(char *text, size_t *len)
{
	*len -= strlen("END:VCALENDAR\r\n");
}

Test(async, file_differs)
{
	struct vrun r;
	char *cause;

	load_tamper(&r, "exceptions.ics");
	cr_assert_neq(async_run(r.kept, r.nkept, r.kept, r.nkept,
	    edit_summary, &cause), 0, "an edited event passed");
	cr_assert_not_null(strstr(cause, "events are not the ones checked"),
	    "%s", cause);
	free(cause);
	cr_assert_neq(async_run(r.kept, r.nkept, r.kept, r.nkept, edit_head,
	    &cause), 0, "an edited head passed");
	cr_assert_not_null(strstr(cause, "head"), "%s", cause);
	free(cause);
	cr_assert_neq(async_run(r.kept, r.nkept, r.kept, r.nkept,
	    edit_truncate, &cause), 0, "a truncated file passed");
	free(cause);
	cr_assert_neq(async_run(r.kept, r.nkept, r.kept, r.nkept,
	    edit_noend, &cause), 0, "a file without END passed");
	cr_assert_not_null(strstr(cause, "END"), "%s", cause);
	free(cause);
	vrun_free(&r);
}

/* What the writer hands over is checked against the items: one item
 * more than written, one written that is not expected. */
Test(async, items_differ)
{
	struct vrun r;
	char *cause;

	load_tamper(&r, "singles.ics");
	cr_assert_gt(r.nkept, 2);
	cr_assert_neq(async_run(r.kept, r.nkept - 1, r.kept, r.nkept, NULL,
	    &cause), 0, "a missing event passed");
	cr_assert_not_null(strstr(cause, "no event in the file"), "%s", cause);
	free(cause);
	cr_assert_neq(async_run(r.kept, r.nkept, r.kept, r.nkept - 1, NULL,
	    &cause), 0, "an unexpected event passed");
	cr_assert_not_null(strstr(cause, "not one of the items written"),
	    "%s", cause);
	free(cause);
	vrun_free(&r);
}

/* The writer writes some lines itself (writer_line.c, wr_line()): each must
 * be what libical writes. Parsed and written again by libical, every
 * fixture's calendars come out byte for byte as the writer made them. */
/* text without its CATEGORIES lines, which libical's parser splits
 * into one property per category. */
static char *
no_categories(const char *text)
{
	char *out, *o;
	const char *s, *nl;
	int skip = 0;

	cr_assert_not_null(out = malloc(strlen(text) + 1));
	for (o = out, s = text; *s != '\0'; s = nl) {
		nl = strchr(s, '\n');
		nl = nl != NULL ? nl + 1 : s + strlen(s);
		if (*s != ' ')
			skip = strncmp(s, "CATEGORIES:", 11) == 0;
		if (!skip) {
			memcpy(o, s, (size_t)(nl - s));
			o += nl - s;
		}
	}
	*o = '\0';
	return out;
}

static void
assert_libical_text(const char *written, const char *what)
{
	icalcomponent *c;
	char *again, *text, *s;
	size_t i;

	cr_assert_not_null(c = icalparser_parse_string(written), "%s", what);
	cr_assert_not_null(s = icalcomponent_as_ical_string_r(c));
	again = no_categories(s);
	free(s);
	text = no_categories(written);
	for (i = 0; text[i] != '\0' && text[i] == again[i]; i++)
		;
	cr_assert_eq(text[i], again[i], "%s: differs at byte %zu: "
	    "\"%.80s\" against libical's \"%.80s\"", what, i,
	    text + (i > 40 ? i - 40 : 0), again + (i > 40 ? i - 40 : 0));
	free(again);
	free(text);
	icalcomponent_free(c);
}

static void
fixture_is_libicals(const char *dir, const char *name)
{
	struct vrun r;
	char what[512];

	load_fixture(&r, dir, name, 1);
	snprintf(what, sizeof what, "%s, clean", name);
	assert_libical_text(r.cal, what);
	snprintf(what, sizeof what, "%s, removed", name);
	assert_libical_text(r.rem, what);
	vrun_free(&r);
}

Test(writer_text, is_libicals)
{
	each_fixture(fixture_is_libicals);
}
