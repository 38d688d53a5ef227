/* test_verify_async.c: verification of a file being written
 * (async), re-reading output files, libical's text. */
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
#include "verify_util.h"
#include "verify.h"
#include "writer.h"

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
