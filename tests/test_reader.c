/* test_reader.c: the libpff reader against the real corpus and errors. */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "ft.h"
#include "pstwrite.h"
#include "reader.h"
#include "writer.h"
#include "testutil.h"
#include "xmalloc.h"

static void
read_ok(const char *name, const struct reader_opts *o,
    struct reader_result *r)
{
	char *path = tu_corpus_file(name), *cause = NULL;
	int rc;

	rc = reader_read(path, o, r, &cause);
	cr_assert_eq(rc, 0, "%s: %d %s", name, rc, cause ? cause : "");
	cr_assert_null(cause);
	free(path);
}

/* ISO 8601 UTC as in the oracle TSVs: microseconds only when present. */
static void
fmt_time(int64_t ft, char *buf, size_t len)
{
	time_t t = (time_t)ft_to_unix(ft);
	struct tm tm;
	int64_t frac = ft % FT_SEC;
	size_t n;

	gmtime_r(&t, &tm);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	if (frac != 0)
		snprintf(buf + n, len - n, ".%06d", (int)(frac / 10));
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* folder, subject, start, end and all-day of every appointment, sorted,
 * compared with the same columns of the oracle. */
static void
check_tsv(const char *name)
{
	struct reader_opts o = { .all_folders = 1 };
	struct reader_result r;
	char *tsvname, *path, line[8192], *f[8], *p, s1[64], s2[64];
	char **want = NULL, **got;
	size_t nwant = 0, i, k;
	FILE *fp;
	struct appt *a;

	xasprintf(&tsvname, "expected/%s.appointments.tsv", name);
	path = tu_corpus_file(tsvname);
	free(tsvname);
	fp = fopen(path, "r");
	cr_assert_not_null(fp, "%s: %s", path, strerror(errno));
	free(path);
	cr_assert_not_null(fgets(line, sizeof line, fp)); /* header */
	while (fgets(line, sizeof line, fp) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		for (k = 0, p = line; k < 8 && p != NULL; k++) {
			f[k] = p;
			if ((p = strchr(p, '\t')) != NULL)
				*p++ = '\0';
		}
		cr_assert_eq(k, 8);
		want = xreallocarray(want, nwant + 1, sizeof *want);
		xasprintf(&want[nwant++], "/%s|%s|%s|%s|%s", f[0], f[2],
		    f[3], f[4], f[5]);
	}
	fclose(fp);

	read_ok(name, &o, &r);
	cr_assert_eq(r.appts.n, nwant, "%s: %zu appointments, want %zu",
	    name, r.appts.n, nwant);
	got = xcalloc(r.appts.n, sizeof *got);
	for (i = 0; i < r.appts.n; i++) {
		a = r.appts.v[i];
		fmt_time(a->start, s1, sizeof s1);
		fmt_time(a->end, s2, sizeof s2);
		xasprintf(&got[i], "%s|%s|%s|%s|%d", a->folder,
		    a->subject ? a->subject : "", s1, s2, a->all_day == 1);
	}
	qsort(want, nwant, sizeof *want, cmp_str);
	qsort(got, nwant, sizeof *got, cmp_str);
	for (i = 0; i < nwant; i++)
		cr_expect_str_eq(got[i], want[i], "%s row %zu", name, i);
	for (i = 0; i < nwant; i++) {
		free(want[i]);
		free(got[i]);
	}
	free(want);
	free(got);
	reader_result_free(&r);
}

static const struct {
	const char	*name;
	size_t		 appts;		/* calendar folders only */
	size_t		 left_out;
	size_t		 all;		/* with all_folders */
	size_t		 calendars;
} counts[] = {
	{ "pst-extractor__pstextractortest@outlook.com.ost", 169, 0, 169, 3 },
	{ "aspose-email-net__Chunks_Test_part1.pst", 9, 0, 9, 1 },
	{ "aspose-email-net__Outlook.pst", 1, 0, 1, 1 },
	{ "java-libpst__dist-list.pst", 1, 0, 1, 1 },
	{ "go-pst__32-bit.pst", 1, 0, 1, 1 },
	{ "hughbe-PstReader__hughbe_Outlook.pst", 1, 0, 1, 1 },
	{ "aspose-email-net__SampleOstFile.ost", 1, 4, 5, 1 },
	{ "java-libpst__passworded.pst", 0, 0, 0, 1 },
	{ "hughbe-PstReader__pst2john_97_outlook_pass12345.pst", 0, 0, 0, 1 },
	{ "hughbe-PstReader__DFRWS2009-Outlook-Email.pst", 0, 0, 0, 2 },
	{ "go-pst__support.pst", 0, 0, 0, 1 },
};

Test(reader_corpus, counts)
{
	struct reader_opts plain = { 0 }, all = { .all_folders = 1 };
	struct reader_result r;
	size_t i, j, ncal;

	for (i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		read_ok(counts[i].name, &plain, &r);
		cr_expect_eq(r.appts.n, counts[i].appts, "%s: %zu",
		    counts[i].name, r.appts.n);
		cr_expect_eq(r.left_out, counts[i].left_out, "%s: left %zu",
		    counts[i].name, r.left_out);
		cr_expect_eq(r.nskips, 0, "%s: %zu skips", counts[i].name,
		    r.nskips);
		for (j = ncal = 0; j < r.nfolders; j++)
			ncal += r.folders[j].is_calendar;
		cr_expect_eq(ncal, counts[i].calendars, "%s: %zu calendars",
		    counts[i].name, ncal);
		reader_result_free(&r);

		read_ok(counts[i].name, &all, &r);
		cr_expect_eq(r.appts.n, counts[i].all, "%s all: %zu",
		    counts[i].name, r.appts.n);
		cr_expect_eq(r.left_out, 0);
		reader_result_free(&r);
	}
}

Test(reader_corpus, holidays_all_day)
{
	struct reader_opts o = { 0 };
	struct reader_result r;
	size_t i, n = 0, allday = 0;

	read_ok("pst-extractor__pstextractortest@outlook.com.ost", &o, &r);
	for (i = 0; i < r.appts.n; i++) {
		if (strcmp(r.appts.v[i]->folder, "/Root - Mailbox/"
		    "IPM_SUBTREE/Calendar/United States holidays") != 0)
			continue;
		n++;
		allday += r.appts.v[i]->all_day == 1;
	}
	cr_expect_eq(n, 160);
	cr_expect_eq(allday, 160);
	for (i = 0; i < r.nfolders; i++)
		if (strcmp(r.folders[i].path, "/Root - Mailbox/IPM_SUBTREE/"
		    "Calendar/Birthdays") == 0)
			cr_expect_str_eq(r.folders[i].container_class,
			    "IPF.Appointment.Birthday");
	reader_result_free(&r);
}

Test(reader_corpus, tsv_pstextractortest)
{
	check_tsv("pst-extractor__pstextractortest@outlook.com.ost");
}

Test(reader_corpus, tsv_chunks)
{
	check_tsv("aspose-email-net__Chunks_Test_part1.pst");
}

Test(reader_corpus, tsv_outlook)
{
	check_tsv("aspose-email-net__Outlook.pst");
}

Test(reader_corpus, tsv_sampleost)
{
	check_tsv("aspose-email-net__SampleOstFile.ost");
}

Test(reader_corpus, tsv_32bit)
{
	check_tsv("go-pst__32-bit.pst");
}

Test(reader_corpus, tsv_hughbe)
{
	check_tsv("hughbe-PstReader__hughbe_Outlook.pst");
}

Test(reader_corpus, tsv_distlist)
{
	check_tsv("java-libpst__dist-list.pst");
}

Test(reader_corpus, distlist_exceptions)
{
	struct reader_opts o = { 0 };
	struct reader_result r;
	struct appt *a;
	char buf[64];

	read_ok("java-libpst__dist-list.pst", &o, &r);
	cr_assert_eq(r.appts.n, 1);
	a = r.appts.v[0];
	cr_expect_eq(a->recurring, 1);
	cr_expect_eq(a->recur.len, 152);
	cr_expect_eq(a->nattach, 0);
	cr_assert_eq(a->nexcs, 2);
	fmt_time(a->excs[0].replace_time, buf, sizeof buf);
	cr_expect_str_eq(buf, "2016-08-23T15:00:00");
	fmt_time(a->excs[1].replace_time, buf, sizeof buf);
	cr_expect_str_eq(buf, "2016-08-30T15:00:00");
	/* The embedded message's own start, in true UTC. */
	fmt_time(a->excs[0].item->start, buf, sizeof buf);
	cr_expect_str_eq(buf, "2016-08-23T16:00:00");
	/* Attachment-level times are local wall clock stored as UTC. */
	fmt_time(a->excs[0].att_start, buf, sizeof buf);
	cr_expect_str_eq(buf, "2016-08-23T09:00:00");
	cr_expect_null(a->excs[0].item->subject);
	cr_expect_str_eq(a->excs[0].item->msgclass,
	    "IPM.OLE.CLASS.{00061055-0000-0000-C000-000000000046}");
	cr_expect_eq(a->tz_struct.len, 48);
	cr_expect_eq(a->tzdef_recur.len, 184);
	/* An end zone equal to the start zone is not kept twice. */
	cr_expect_not_null(a->tzdef_start.data);
	cr_expect(a->tzdef_end.data == NULL ||
	    !appt_blob_eq(&a->tzdef_end, &a->tzdef_start));
	cr_expect_str_eq(a->subject, "Test appointment");
	cr_assert_not_null(a->body);
	cr_expect_eq(strncmp(a->body, "This is a complete test", 23), 0,
	    "%s", a->body);
	cr_expect_eq(a->goid.len, 56);
	cr_expect(appt_blob_eq(&a->goid, &a->clean_goid));
	reader_result_free(&r);
}

Test(reader_corpus, sampleost_attendees)
{
	struct reader_opts o = { 0 };
	struct reader_result r;
	struct appt *a;
	size_t i;
	int org = 0, att = 0;

	read_ok("aspose-email-net__SampleOstFile.ost", &o, &r);
	cr_assert_eq(r.appts.n, 1);
	a = r.appts.v[0];
	cr_expect_str_eq(a->org_name, "Administrator");
	cr_expect_eq(a->state, 3);
	cr_expect_str_eq(a->location, "meeting request");
	cr_assert_eq(a->nrcpts, 2);
	for (i = 0; i < a->nrcpts; i++) {
		if (a->rcpts[i].flags & APPT_RCPT_ORGANIZER) {
			org++;
			cr_expect_str_eq(a->rcpts[i].email,
			    "Administrator@ex2010.local");
		} else {
			att++;
			cr_expect_str_eq(a->rcpts[i].name, "Saqib Razzaq");
			cr_expect_str_eq(a->rcpts[i].email,
			    "saqib.razzaq@ex2010.local");
			cr_expect_eq(a->rcpts[i].type, 1);
		}
	}
	cr_expect_eq(org, 1);
	cr_expect_eq(att, 1);
	/* Sub-second FILETIME kept whole. */
	cr_expect_neq(a->start % FT_SEC, 0);
	reader_result_free(&r);
}

Test(reader_corpus, folder_option)
{
	struct reader_opts o = { .folder = "deleted items" };
	struct reader_result r;
	size_t i;

	/* A non-calendar folder is only taken with all_folders. */
	read_ok("aspose-email-net__SampleOstFile.ost", &o, &r);
	cr_expect_eq(r.appts.n, 0);
	cr_expect_eq(r.left_out, 5);
	reader_result_free(&r);

	o.all_folders = 1;
	read_ok("aspose-email-net__SampleOstFile.ost", &o, &r);
	cr_expect_eq(r.appts.n, 4);
	cr_expect_eq(r.left_out, 1);
	for (i = 0; i < r.appts.n; i++)
		cr_expect_str_eq(r.appts.v[i]->folder,
		    "/Root - Mailbox/IPM_SUBTREE/Deleted Items");
	reader_result_free(&r);

	o.all_folders = 0;
	o.folder = "Root - Mailbox/IPM_SUBTREE/Calendar/United States holidays";
	read_ok("pst-extractor__pstextractortest@outlook.com.ost", &o, &r);
	cr_expect_eq(r.appts.n, 160);
	cr_expect_eq(r.left_out, 9);
	reader_result_free(&r);
}

Test(reader_corpus, ansi_codepage)
{
	struct reader_opts o = { .codepage = 1252 };
	struct reader_result r;
	struct appt *a;

	read_ok("go-pst__32-bit.pst", &o, &r);
	cr_expect_eq(r.file_type, 32);
	cr_assert_eq(r.appts.n, 1);
	a = r.appts.v[0];
	/* The marker was "\x01\x0A": both characters go. */
	cr_expect_str_eq(a->subject, "Updated: Olympus training for new hires");
	cr_expect_str_eq(a->tz_desc, "(GMT-06:00) Central Time (US & Canada)");
	cr_expect_eq(a->nrcpts, 7);
	cr_expect_str_eq(a->org_name, "Cyndy Foulkrod");
	reader_result_free(&r);
}

Test(reader_corpus, password)
{
	struct reader_opts o = { 0 };
	struct reader_result r;

	read_ok("java-libpst__passworded.pst", &o, &r);
	cr_expect_eq(r.password, 1);
	cr_expect_eq(r.appts.n, 0);
	reader_result_free(&r);
	read_ok("hughbe-PstReader__pst2john_97_outlook_pass12345.pst", &o, &r);
	cr_expect_eq(r.password, 1);
	cr_expect_eq(r.file_type, 32);
	reader_result_free(&r);
	read_ok("aspose-email-net__Outlook.pst", &o, &r);
	cr_expect_eq(r.password, 0);
	reader_result_free(&r);
	read_ok("aspose-email-net__SampleOstFile.ost", &o, &r);
	cr_expect_eq(r.password, 0);
	reader_result_free(&r);
}

static void
count_progress(void *arg, size_t folders, size_t items)
{
	size_t *last = arg;

	/* The first call says the file is open. */
	if (last[2] == 0) {
		cr_expect_eq(folders, 0);
		cr_expect_eq(items, 0);
	}
	cr_expect_geq(items, last[1]);
	last[0] = folders;
	last[1] = items;
	last[2]++;
}

Test(reader_corpus, progress)
{
	size_t last[3] = { 0, 0, 0 };
	struct reader_opts o = { .progress = count_progress,
	    .progress_arg = last };
	struct reader_result r;

	read_ok("pst-extractor__pstextractortest@outlook.com.ost", &o, &r);
	cr_expect_geq(last[2], 2);	/* at 100 items and at the end */
	cr_expect_eq(last[0], 57);	/* MANIFEST: 57 folders */
	cr_expect_geq(last[1], 169);
	reader_result_free(&r);
}

/* Errors. */

static int
read_err(const char *path, char **cause)
{
	struct reader_opts o = { 0 };
	struct reader_result r;
	int rc;

	*cause = NULL;
	rc = reader_read(path, &o, &r, cause);
	cr_assert_neq(rc, 0);
	/* The caller names the file (err.h): the cause never does. */
	cr_expect_null(*cause != NULL ? strstr(*cause, path) : NULL, "%s",
	    *cause);
	cr_assert_not_null(*cause);
	cr_expect_null(strchr(*cause, '\n'), "one line: %s", *cause);
	cr_expect_eq(r.appts.n, 0);
	cr_expect_eq(r.nskips, 0);
	return rc;
}

static char *
tmpfile_with(const char *data, size_t len, char *dir)
{
	char *path;
	FILE *fp;

	cr_assert_not_null(mkdtemp(dir));
	xasprintf(&path, "%s/input.pst", dir);
	fp = fopen(path, "wb");
	cr_assert_not_null(fp);
	cr_assert_eq(fwrite(data, 1, len, fp), len);
	cr_assert_eq(fclose(fp), 0);
	return path;
}

Test(reader_errors, missing)
{
	char *cause;

	cr_expect_eq(read_err("/nonexistent/x.pst", &cause), READER_NOINPUT);
	cr_expect_not_null(strstr(cause, strerror(ENOENT)), "%s", cause);
	free(cause);
}

Test(reader_errors, directory)
{
	char dir[] = "/tmp/test_reader.XXXXXX", *cause;

	cr_assert_not_null(mkdtemp(dir));
	cr_expect_eq(read_err(dir, &cause), READER_NOINPUT);
	cr_expect_not_null(strstr(cause, strerror(EISDIR)), "%s", cause);
	free(cause);
	rmdir(dir);
}

Test(reader_errors, text_file)
{
	char dir[] = "/tmp/test_reader.XXXXXX", *path, *cause;
	/* iCalendar goes to the .ics reader (test_icsread): plain text. */
	const char text[] = "Meeting notes\r\nBEGIN:VCALENDAR\r\n";

	path = tmpfile_with(text, sizeof text - 1, dir);
	cr_expect_eq(read_err(path, &cause), READER_DATAERR);
	cr_expect_not_null(strstr(cause, "not a PST"), "%s", cause);
	free(cause);
	unlink(path);
	free(path);
	rmdir(dir);
}

Test(reader_errors, empty_file)
{
	char dir[] = "/tmp/test_reader.XXXXXX", *path, *cause;

	path = tmpfile_with("", 0, dir);
	cr_expect_eq(read_err(path, &cause), READER_DATAERR);
	cr_expect_neq(strlen(cause), 0);
	free(cause);
	unlink(path);
	free(path);
	rmdir(dir);
}

Test(reader_errors, truncated_pst)
{
	char dir[] = "/tmp/test_reader.XXXXXX", *path, *src, *cause;
	char buf[1024];
	FILE *fp;
	size_t n;

	src = tu_corpus_file("java-libpst__dist-list.pst");
	fp = fopen(src, "rb");
	cr_assert_not_null(fp);
	n = fread(buf, 1, sizeof buf, fp);
	fclose(fp);
	free(src);
	/* The header is there, the B-trees are not. */
	path = tmpfile_with(buf, n, dir);
	cr_expect_eq(read_err(path, &cause), READER_DATAERR);
	free(cause);
	unlink(path);
	free(path);
	rmdir(dir);
}

Test(reader_errors, bad_codepage)
{
	struct reader_opts o = { .codepage = 65001 };
	struct reader_result r;
	char *cause = NULL;

	cr_expect_eq(reader_read("/nonexistent", &o, &r, &cause),
	    READER_DATAERR);
	cr_expect_not_null(cause);
	free(cause);
}

Test(reader, codepages)
{
	cr_expect(reader_codepage_ok(1252));
	cr_expect(reader_codepage_ok(932));
	cr_expect(reader_codepage_ok(20127));
	cr_expect(!reader_codepage_ok(65001));
	cr_expect(!reader_codepage_ok(28591));
	cr_expect(!reader_codepage_ok(0));
	cr_expect_str_eq(reader_libpff_version(), "20180714");
}

/* Generated PSTs: pstwrite plants exactly the properties under test. */

struct fix {
	char		 dir[32];
	char		*path;
	struct pstw	*w;
	uint32_t	 cal;
	uint16_t	 start, end, replace, subtype;
};

static void
fix_open(struct fix *fx)
{
	strcpy(fx->dir, "/tmp/test_reader.XXXXXX");
	cr_assert_not_null(mkdtemp(fx->dir));
	xasprintf(&fx->path, "%s/fixture.pst", fx->dir);
	fx->w = tu_pstw_open(fx->path, "fixture", &fx->cal);
}

/* Named ids, allocated in the order a test wants them. */
static void
fix_names(struct fix *fx)
{
	fx->start = pstw_named_lid(fx->w, pstw_psetid_appointment, 0x820D);
	fx->end = pstw_named_lid(fx->w, pstw_psetid_appointment, 0x820E);
	fx->replace = pstw_named_lid(fx->w, pstw_psetid_appointment, 0x8228);
	fx->subtype = pstw_named_lid(fx->w, pstw_psetid_appointment, 0x8215);
}

static struct pstw_msg *
fix_appt(struct fix *fx, const char *subject, int64_t start, int64_t end)
{
	struct pstw_msg *m = pstw_msg_new("IPM.Appointment");
	struct pstw_props *p = pstw_msg_props(m);

	if (subject != NULL)
		pstw_set_str(p, 0x0037, subject);
	if (start != APPT_NOTIME)
		pstw_set_time(p, fx->start, start);
	if (end != APPT_NOTIME)
		pstw_set_time(p, fx->end, end);
	return m;
}

static void
fix_write(struct fix *fx, uint32_t folder, struct pstw_msg *m)
{
	tu_pstw_write(fx->w, folder, m);
}

static void
fix_read(struct fix *fx, const struct reader_opts *o,
    struct reader_result *r)
{
	char *cause = NULL;

	tu_pstw_close(fx->w);
	fx->w = NULL;
	cr_assert_eq(reader_read(fx->path, o, r, &cause), 0, "%s", cause);
	unlink(fx->path);
	rmdir(fx->dir);
	free(fx->path);
}

/* fix_read() of a file with one item: that item. */
static struct appt *
fix_read_one(struct fix *fx, const struct reader_opts *o,
    struct reader_result *r)
{
	fix_read(fx, o, r);
	cr_assert_eq(r->appts.n, 1);
	return r->appts.v[0];
}

static struct appt *
find(const struct reader_result *r, const char *subject)
{
	size_t i;

	for (i = 0; i < r->appts.n; i++)
		if (r->appts.v[i]->subject != NULL &&
		    strcmp(r->appts.v[i]->subject, subject) == 0)
			return r->appts.v[i];
	cr_assert_fail("no appointment \"%s\"", subject);
	return NULL;
}

static const struct reader_skip *
find_skip(const struct reader_result *r, const char *reason)
{
	size_t i;

	for (i = 0; i < r->nskips; i++)
		if (strstr(r->skips[i].reason, reason) != NULL)
			return &r->skips[i];
	cr_assert_fail("no skip \"%s\"", reason);
	return NULL;
}

Test(reader_gen, guid_confusion)
{
	struct reader_opts o = { 0 };
	struct reader_result r;
	struct pstw_msg *m;
	struct fix fx;
	uint16_t decoy;
	struct appt *a;

	fix_open(&fx);
	/* PSETID_Common 0x820D gets the lower tag, so a reader matching
	 * on LID alone finds it first. */
	decoy = pstw_named_lid(fx.w, pstw_psetid_common, 0x820D);
	fix_names(&fx);
	m = fix_appt(&fx, "Trap", tu_ft(2024, 3, 15, 9, 0),
	    tu_ft(2024, 3, 15, 10, 0));
	pstw_set_time(pstw_msg_props(m), decoy, tu_ft(2001, 1, 1, 0, 0));
	fix_write(&fx, fx.cal, m);
	a = fix_read_one(&fx, &o, &r);
	cr_expect_eq(a->start, tu_ft(2024, 3, 15, 9, 0));
	cr_expect_eq(a->end, tu_ft(2024, 3, 15, 10, 0));
	reader_result_free(&r);
}

Test(reader_gen, strings)
{
	struct reader_opts o = { 0 };
	struct reader_result r;
	struct pstw_msg *m;
	struct pstw_props *p;
	struct fix fx;
	struct appt *a;
	int64_t t = tu_ft(2024, 5, 1, 8, 0);
	const char *cats[] = { "Red", "Blue \xF0\x9F\x8E\x89" };
	uint16_t keywords, loc;

	fix_open(&fx);
	fix_names(&fx);
	keywords = pstw_named_str(fx.w, pstw_ps_public_strings, "Keywords");
	loc = pstw_named_lid(fx.w, pstw_psetid_appointment, 0x8208);

	/* Emoji (a surrogate pair) after the 0x01 marker. */
	m = fix_appt(&fx, "\x01\x01Party \xF0\x9F\x8E\x89", t, t + 1);
	p = pstw_msg_props(m);
	pstw_set_mvstr(p, keywords, cats, 2);
	pstw_set_str(p, loc, "Room \xC3\x9C");
	fix_write(&fx, fx.cal, m);

	/* No marker, non-ASCII first: nothing stripped. */
	fix_write(&fx, fx.cal, fix_appt(&fx, "\xC3\x9Cnicode", t, t + 1));

	/* PT_STRING8 in the file codepage (1252) and in a 0x3FFD one. */
	m = fix_appt(&fx, NULL, t, t + 1);
	pstw_set_str8(pstw_msg_props(m), 0x0037, "\x01\x0A" "Caf\xE9");
	fix_write(&fx, fx.cal, m);
	m = fix_appt(&fx, NULL, t, t + 1);
	pstw_set_str8(pstw_msg_props(m), 0x0037, "\xCF\xF0\xE8");
	pstw_set_i4(pstw_msg_props(m), 0x3FFD, 1251);
	fix_write(&fx, fx.cal, m);

	/* HTML bodies: UTF-8 kept, anything else read as Windows-1252. */
	m = fix_appt(&fx, "html utf8", t, t + 1);
	pstw_set_bin(pstw_msg_props(m), 0x1013, "<p>\xC3\xA9</p>", 9);
	fix_write(&fx, fx.cal, m);
	m = fix_appt(&fx, "html 1252", t, t + 1);
	pstw_set_bin(pstw_msg_props(m), 0x1013, "<p>caf\xE9\x01</p>", 12);
	fix_write(&fx, fx.cal, m);

	fix_read(&fx, &o, &r);
	cr_assert_eq(r.appts.n, 6);
	a = find(&r, "Party \xF0\x9F\x8E\x89");
	cr_assert_eq(a->ncategories, 2);
	cr_expect_str_eq(a->categories[0], "Red");
	cr_expect_str_eq(a->categories[1], "Blue \xF0\x9F\x8E\x89");
	cr_expect_str_eq(a->location, "Room \xC3\x9C");
	find(&r, "\xC3\x9Cnicode");
	find(&r, "Caf\xC3\xA9");
	find(&r, "\xD0\x9F\xD1\x80\xD0\xB8");	/* "При" */
	cr_expect_str_eq(find(&r, "html utf8")->html, "<p>\xC3\xA9</p>");
	cr_expect_str_eq(find(&r, "html 1252")->html, "<p>caf\xC3\xA9</p>");
	reader_result_free(&r);
}

Test(reader_gen, people)
{
	struct reader_opts o = { 0 };
	struct reader_result r;
	struct pstw_msg *m;
	struct pstw_props *p;
	struct fix fx;
	struct appt *a;
	int64_t t = tu_ft(2024, 5, 2, 8, 0);

	fix_open(&fx);
	fix_names(&fx);
	m = fix_appt(&fx, "meeting", t, t + 1);
	p = pstw_msg_props(m);
	pstw_set_str(p, 0x0042, "Olga Organizer");
	pstw_set_str(p, 0x0064, "SMTP");
	pstw_set_str(p, 0x0065, "olga@example.org");
	p = pstw_msg_recipient(m);
	pstw_set_str(p, 0x3001, "Ann");
	pstw_set_str(p, 0x3002, "SMTP");
	pstw_set_str(p, 0x3003, "ann@example.org");
	pstw_set_i4(p, 0x0C15, 2);
	pstw_set_i4(p, 0x5FFD, 1);
	pstw_set_i4(p, 0x5FFF, 3);
	p = pstw_msg_recipient(m);
	pstw_set_str(p, 0x3001, "Ex User");
	pstw_set_str(p, 0x3002, "EX");
	pstw_set_str(p, 0x3003, "/o=Org/cn=Recipients/cn=ex");
	fix_write(&fx, fx.cal, m);
	a = fix_read_one(&fx, &o, &r);
	cr_expect_str_eq(a->org_name, "Olga Organizer");
	cr_expect_str_eq(a->org_email, "olga@example.org");
	cr_assert_eq(a->nrcpts, 2);
	cr_expect_str_eq(a->rcpts[0].name, "Ann");
	cr_expect_str_eq(a->rcpts[0].email, "ann@example.org");
	cr_expect_eq(a->rcpts[0].type, 2);
	cr_expect_eq(a->rcpts[0].flags, 1);
	cr_expect_eq(a->rcpts[0].track_status, 3);
	/* An X.500 address is not an e-mail address. */
	cr_expect_null(a->rcpts[1].email);
	cr_expect_str_eq(a->rcpts[1].addrtype, "EX");
	reader_result_free(&r);
}

Test(reader_gen, exceptions)
{
	struct reader_opts o = { 0 };
	struct reader_result r;
	struct pstw_msg *m, *e;
	struct pstw_attach *at;
	struct pstw_props *p;
	struct fix fx;
	struct appt *a;
	int64_t t = tu_ft(2024, 6, 4, 15, 0), hour = 3600 * FT_SEC;
	uint16_t recurring;

	fix_open(&fx);
	fix_names(&fx);
	recurring = pstw_named_lid(fx.w, pstw_psetid_appointment, 0x8223);
	m = fix_appt(&fx, "series", t, t + hour / 2);
	pstw_set_bool(pstw_msg_props(m), recurring, 1);
	/* The exception: hidden, method 5, no subject of its own. */
	at = pstw_msg_attach(m);
	p = pstw_attach_props(at);
	pstw_set_bool(p, 0x7FFE, 1);
	pstw_set_time(p, 0x7FF9, t + 7 * 24 * hour - 7 * hour);
	pstw_set_time(p, 0x7FFB, t + 7 * 24 * hour - 6 * hour);
	pstw_set_time(p, 0x7FFC, t + 7 * 24 * hour - 5 * hour);
	e = pstw_attach_embed(at,
	    "IPM.OLE.CLASS.{00061055-0000-0000-C000-000000000046}");
	p = pstw_msg_props(e);
	pstw_set_time(p, fx.start, t + 7 * 24 * hour + hour);
	pstw_set_time(p, fx.end, t + 7 * 24 * hour + 2 * hour);
	pstw_set_time(p, fx.replace, t + 7 * 24 * hour);
	pstw_set_str(p, 0x0037, "moved");
	/* A forwarded mail (visible embedded IPM.Note) and a file. */
	at = pstw_msg_attach(m);
	pstw_set_str(pstw_attach_props(at), 0x3704, "fwd");
	pstw_attach_embed(at, "IPM.Note");
	at = pstw_msg_attach(m);
	pstw_set_str(pstw_attach_props(at), 0x3707, "agenda.txt");
	pstw_attach_data(at, "agenda", 6);
	fix_write(&fx, fx.cal, m);
	a = fix_read_one(&fx, &o, &r);
	cr_expect_eq(r.nskips, 0);
	cr_expect_eq(a->recurring, 1);
	cr_expect_eq(a->nattach, 2);
	cr_assert_eq(a->nexcs, 1);
	cr_expect_eq(a->excs[0].replace_time, t + 7 * 24 * hour);
	cr_expect_eq(a->excs[0].att_replace_time, t + 7 * 24 * hour - 7 * hour);
	cr_expect_eq(a->excs[0].att_start, t + 7 * 24 * hour - 6 * hour);
	cr_expect_eq(a->excs[0].att_end, t + 7 * 24 * hour - 5 * hour);
	cr_expect_eq(a->excs[0].item->start, t + 7 * 24 * hour + hour);
	cr_expect_eq(a->excs[0].item->replace_time, t + 7 * 24 * hour);
	cr_expect_str_eq(a->excs[0].item->subject, "moved");
	reader_result_free(&r);
}

Test(reader_gen, skips_and_folders)
{
	struct reader_opts o = { 0 };
	struct reader_result r;
	struct pstw_msg *m;
	struct fix fx;
	const struct reader_skip *s;
	int64_t t = tu_ft(2024, 7, 1, 8, 0);
	uint32_t proj, team, inbox;
	char *cause = NULL;
	size_t i;

	fix_open(&fx);
	fix_names(&fx);
	m = pstw_msg_new("IPM.Schedule.Meeting.Request");
	pstw_set_str(pstw_msg_props(m), 0x0037, "please come");
	fix_write(&fx, fx.cal, m);
	m = pstw_msg_new("IPM.Note");
	pstw_set_str(pstw_msg_props(m), 0x0037, "a note");
	fix_write(&fx, fx.cal, m);
	fix_write(&fx, fx.cal, fix_appt(&fx, "no start", APPT_NOTIME, t));
	fix_write(&fx, fx.cal, fix_appt(&fx, "no end", t, APPT_NOTIME));
	fix_write(&fx, fx.cal, fix_appt(&fx, "backwards", t, t - 1));
	fix_write(&fx, fx.cal, fix_appt(&fx, "good", t, t));
	/* A subclass, in a calendar two levels down. */
	cr_assert_eq(pstw_folder(fx.w, pstw_ipm_subtree(fx.w), "Projects",
	    "IPF.Note", &proj, &cause), 0);
	cr_assert_eq(pstw_folder(fx.w, proj, "Team", "IPF.Appointment",
	    &team, &cause), 0);
	m = fix_appt(&fx, "custom class", t, t + 1);
	fix_write(&fx, team, m);
	cr_assert_eq(pstw_folder(fx.w, pstw_ipm_subtree(fx.w), "Inbox",
	    "IPF.Note", &inbox, &cause), 0);
	fix_write(&fx, inbox, fix_appt(&fx, "stray", t, t + 1));
	m = pstw_msg_new("IPM.Note");
	fix_write(&fx, inbox, m);
	fix_read(&fx, &o, &r);

	cr_expect_eq(r.appts.n, 2);
	find(&r, "good");
	cr_expect_str_eq(find(&r, "custom class")->folder,
	    "/Top of Personal Folders/Projects/Team");
	cr_expect_eq(r.left_out, 1);
	cr_expect_eq(r.nskips, 5);
	s = find_skip(&r, "meeting request");
	cr_expect_eq(s->damaged, 0);
	cr_expect_str_eq(s->subject, "please come");
	cr_expect_str_eq(s->msgclass, "IPM.Schedule.Meeting.Request");
	s = find_skip(&r, "not an appointment (IPM.Note)");
	cr_expect_eq(s->damaged, 0);
	cr_expect_str_eq(s->folder, "/Top of Personal Folders/Calendar");
	cr_expect_str_eq(find_skip(&r, "no start time")->subject, "no start");
	cr_expect_str_eq(find_skip(&r, "no end time")->subject, "no end");
	s = find_skip(&r, "end before start");
	cr_expect_eq(s->damaged, 1);
	cr_expect_str_eq(s->subject, "backwards");
	cr_expect_neq(s->id, 0);
	for (i = 0; i < r.nfolders; i++) {
		if (strcmp(r.folders[i].path,
		    "/Top of Personal Folders/Calendar") == 0) {
			cr_expect_eq(r.folders[i].nappts, 4);
			cr_expect_eq(r.folders[i].nother, 2);
			cr_expect_eq(r.folders[i].selected, 1);
		}
		if (strcmp(r.folders[i].path, "/Top of Personal Folders/Inbox")
		    == 0) {
			cr_expect_eq(r.folders[i].is_calendar, 0);
			cr_expect_eq(r.folders[i].selected, 0);
			cr_expect_eq(r.folders[i].nappts, 1);
		}
	}
	cr_expect_eq(r.nfolders, 3);	/* two calendars and the Inbox */
	reader_result_free(&r);
}

Test(reader_gen, damaged)
{
	struct reader_opts o = { 0 };
	struct reader_result r;
	struct pstw_msg *m, *e;
	struct pstw_attach *at;
	struct fix fx;
	const struct reader_skip *s;
	struct appt *a;
	int64_t t = tu_ft(2024, 8, 1, 8, 0);
	/* Five values announced, room for one offset. */
	const uint8_t bad[] = { 5, 0, 0, 0, 8, 0, 0, 0 };
	uint16_t keywords;

	fix_open(&fx);
	fix_names(&fx);
	keywords = pstw_named_str(fx.w, pstw_ps_public_strings, "Keywords");
	m = fix_appt(&fx, "bad keywords", t, t + 1);
	pstw_set_raw(pstw_msg_props(m), keywords, 0x101F, bad, sizeof bad);
	fix_write(&fx, fx.cal, m);
	/* A broken exception must not cost the master. */
	m = fix_appt(&fx, "master", t, t + 1);
	at = pstw_msg_attach(m);
	pstw_set_bool(pstw_attach_props(at), 0x7FFE, 1);
	e = pstw_attach_embed(at,
	    "IPM.OLE.CLASS.{00061055-0000-0000-C000-000000000046}");
	pstw_set_raw(pstw_msg_props(e), keywords, 0x101F, bad, sizeof bad);
	fix_write(&fx, fx.cal, m);
	fix_read(&fx, &o, &r);

	cr_assert_eq(r.appts.n, 1);
	a = find(&r, "master");
	cr_expect_eq(a->nexcs, 0);
	cr_assert_eq(r.nskips, 1);
	s = find_skip(&r, "malformed categories value");
	cr_expect_str_eq(s->subject, "bad keywords");
	cr_expect_eq(s->damaged, 1);
	/* The master is kept, without the exception: degraded, not a
	 * skip (it would count the item twice). */
	cr_assert_eq(a->nattach, 1);
	cr_assert_not_null(a->attachs[0].unread);
	cr_expect_not_null(strstr(a->attachs[0].unread,
	    "attachment 1 unreadable, left out: "), "%s",
	    a->attachs[0].unread);
	cr_expect_not_null(strstr(a->attachs[0].unread,
	    "malformed categories value"));
	reader_result_free(&r);
}

/* Fixtures from the iCalendar text in tests/data, through mkpst. */

static void
mkpst_read(const char *ics, const struct reader_opts *o,
    struct reader_result *r)
{
	const char *mkpst = getenv("MKPST"), *src = getenv("TEST_SRCDIR");
	char dir[] = "/tmp/test_reader.XXXXXX", *in, *out, *cause = NULL;
	pid_t pid;
	int status;

	if (mkpst == NULL || src == NULL || access(mkpst, X_OK) == -1)
		cr_skip_test("MKPST or TEST_SRCDIR not set");
	xasprintf(&in, "%s/data/%s", src, ics);
	cr_assert_not_null(mkdtemp(dir));
	xasprintf(&out, "%s/out.pst", dir);
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		execl(mkpst, mkpst, "-o", out, in, (char *)NULL);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "mkpst %s failed", in);
	cr_assert_eq(reader_read(out, o, r, &cause), 0, "%s", cause);
	unlink(out);
	rmdir(dir);
	free(in);
	free(out);
}

Test(reader_mkpst, traps)
{
	struct reader_opts o = { 0 };
	struct reader_result r;
	struct appt *a;

	mkpst_read("traps.ics", &o, &r);
	cr_expect_eq(r.nskips, 0);
	a = find(&r, "GUID confusion trap");
	cr_expect_eq(a->start, tu_ft(2024, 7, 1, 8, 0));
	cr_expect_eq(a->end, tu_ft(2024, 7, 1, 9, 0));
	a = find(&r, "Explicit GOIDs that disagree");
	cr_expect_eq(a->clean_goid.len, 56);
	cr_expect_not(appt_blob_eq(&a->goid, &a->clean_goid));
	reader_result_free(&r);
}

Test(reader_mkpst, folders)
{
	struct reader_opts o = { 0 };
	struct reader_result r;

	mkpst_read("folders.ics", &o, &r);
	cr_expect_eq(r.appts.n, 3);
	cr_expect_eq(r.left_out, 1);
	cr_expect_str_eq(find(&r, "In a sub-calendar")->folder,
	    "/Top of Personal Folders/Calendar/Project X");
	cr_expect_eq(find(&r, "Ana's birthday")->all_day, 1);
	reader_result_free(&r);

	o.all_folders = 1;
	mkpst_read("folders.ics", &o, &r);
	cr_expect_eq(r.appts.n, 4);
	cr_expect_eq(r.left_out, 0);
	cr_expect_str_eq(find(&r, "Deleted appointment")->folder,
	    "/Top of Personal Folders/Deleted Items");
	reader_result_free(&r);

	o.all_folders = 0;
	o.folder = "project x";
	mkpst_read("folders.ics", &o, &r);
	cr_expect_eq(r.appts.n, 1);
	cr_expect_eq(r.left_out, 3);
	reader_result_free(&r);
}

Test(reader_mkpst, exceptions)
{
	struct reader_opts o = { 0 };
	struct reader_result r;
	struct appt *a, *x;

	mkpst_read("exceptions.ics", &o, &r);
	cr_assert_eq(r.appts.n, 1);
	a = r.appts.v[0];
	cr_expect_eq(a->recurring, 1);
	cr_expect_str_eq(a->org_email, "olivia@example.com");
	cr_expect_eq(a->nrcpts, 3);
	cr_assert_eq(a->nexcs, 2);
	cr_expect_eq(a->excs[0].replace_time, tu_ft(2024, 3, 26, 9, 0));
	cr_expect_eq(a->excs[0].item->start, tu_ft(2024, 3, 27, 13, 0));
	cr_expect_null(a->excs[0].item->subject);
	x = a->excs[1].item;
	cr_expect_eq(a->excs[1].replace_time, tu_ft(2024, 4, 9, 8, 0));
	cr_expect_str_eq(x->subject,
	    "Weekly team meeting \xE2\x80\x93 budget special");
	cr_expect_str_eq(x->location, "Board room");
	cr_expect_eq(x->busy, 3);
	reader_result_free(&r);
}

/* ---- Ordinary attachments ---- */

static const struct appt_attach *
find_attach(const struct appt *a, const char *name)
{
	size_t i;

	cr_assert_not_null(a->attachs);
	for (i = 0; i < a->nattach; i++)
		if (a->attachs[i].name != NULL &&
		    strcmp(a->attachs[i].name, name) == 0)
			return &a->attachs[i];
	cr_assert_fail("no attachment \"%s\"", name);
	return NULL;
}

/* Names by precedence, MIME type, exact bytes (a binary file, 1 MB
 * through a data tree, an empty one), an embedded mail named by its
 * subject, and an exception's own attachment. */
/* The bytes of an attachment as the writer gets them: from the spool
 * once appt_unspool() has brought its item back. */
static void
expect_bytes(const struct appt_attach *x, FILE *spool, const void *want,
    size_t len)
{
	cr_assert_eq(x->data.len, len);
	cr_assert_eq(x->spooled, spool != NULL);
	cr_assert_not_null(x->data.data);
	cr_expect_eq(memcmp(x->data.data, want, len), 0);
}

static void
expect_out_of_memory(const struct appt *a)
{
	size_t j;

	for (j = 0; j < a->nattach; j++)
		cr_assert_null(a->attachs[j].data.data);
}

static void
attachments_case(FILE *spool)
{
	struct reader_opts o = { 0 };
	struct reader_result r;
	struct pstw_msg *m, *e;
	struct pstw_attach *at;
	struct pstw_props *p;
	const struct appt_attach *x;
	struct fix fx;
	struct appt *a;
	int64_t t = tu_ft(2024, 9, 2, 9, 0), hour = 3600 * FT_SEC;
	uint8_t pdf[600], *big;
	uint32_t v = 2463534242u;
	size_t i, nbig = 1 << 20;
	char *cause = NULL;

	memcpy(pdf, "%PDF-1.4\n", 9);
	for (i = 9; i < sizeof pdf; i++)
		pdf[i] = (uint8_t)(i * 13);
	big = xmalloc(nbig);
	for (i = 0; i < nbig; i++) {
		v ^= v << 13;
		v ^= v >> 17;
		v ^= v << 5;
		big[i] = (uint8_t)v;
	}
	fix_open(&fx);
	fix_names(&fx);
	m = fix_appt(&fx, "review", t, t + hour);
	at = pstw_msg_attach(m);
	p = pstw_attach_props(at);
	pstw_set_str(p, 0x3707, "Agenda Q3.pdf");
	pstw_set_str(p, 0x3704, "AGENDA~1.PDF");
	pstw_set_str(p, 0x3001, "Agenda");
	pstw_set_str(p, 0x370E, "application/pdf");
	pstw_attach_data(at, pdf, sizeof pdf);
	at = pstw_msg_attach(m);
	p = pstw_attach_props(at);
	pstw_set_str(p, 0x3707, "");
	pstw_set_str(p, 0x3704, "NOTES.TXT");
	pstw_attach_data(at, "line 1\r\nline 2", 14);
	at = pstw_msg_attach(m);
	pstw_set_str(pstw_attach_props(at), 0x3001, "Display only");
	pstw_attach_data(at, "", 0);
	at = pstw_msg_attach(m);
	pstw_set_str(pstw_attach_props(at), 0x3707, "scan.tif");
	pstw_attach_data(at, big, nbig);
	at = pstw_msg_attach(m);
	e = pstw_attach_embed(at, "IPM.Note");
	pstw_set_str(pstw_msg_props(e), 0x0037, "Fwd: minutes");
	fix_write(&fx, fx.cal, m);

	/* A series whose exception has an attachment of its own. */
	m = fix_appt(&fx, "series", t, t + hour);
	at = pstw_msg_attach(m);
	pstw_set_bool(pstw_attach_props(at), 0x7FFE, 1);
	e = pstw_attach_embed(at,
	    "IPM.OLE.CLASS.{00061055-0000-0000-C000-000000000046}");
	p = pstw_msg_props(e);
	pstw_set_time(p, fx.start, t + 24 * hour);
	pstw_set_time(p, fx.end, t + 25 * hour);
	pstw_set_time(p, fx.replace, t + 24 * hour);
	at = pstw_msg_attach(e);
	pstw_set_str(pstw_attach_props(at), 0x3707, "moved.txt");
	pstw_attach_data(at, "moved", 5);
	fix_write(&fx, fx.cal, m);
	o.spool = spool;
	fix_read(&fx, &o, &r);
	/* Spooled, nothing of the content is left in memory. */
	for (i = 0; spool != NULL && i < r.appts.n; i++) {
		a = r.appts.v[i];
		cr_assert(a->spooled);
		expect_out_of_memory(a);
		if (a->nexcs > 0)
			expect_out_of_memory(a->excs[0].item);
		cr_assert_eq(appt_unspool(a, spool, &cause), 0, "%s", cause);
	}

	cr_assert_eq(r.appts.n, 2);
	cr_expect_eq(r.nskips, 0, "%s", r.nskips ? r.skips[0].reason : "");
	a = find(&r, "review");
	cr_assert_eq(a->nattach, 5);
	x = find_attach(a, "Agenda Q3.pdf");
	cr_expect_str_eq(x->mime, "application/pdf");
	cr_expect_eq(x->embedded, 0);
	expect_bytes(x, spool, pdf, sizeof pdf);
	x = find_attach(a, "NOTES.TXT");
	cr_expect_null(x->mime);
	expect_bytes(x, spool, "line 1\r\nline 2", 14);
	x = find_attach(a, "Display only");
	cr_expect_eq(x->data.len, 0);
	cr_expect(spool != NULL ? x->spooled : x->data.data != NULL);
	x = find_attach(a, "scan.tif");
	expect_bytes(x, spool, big, nbig);
	x = find_attach(a, "Fwd: minutes");
	cr_expect_eq(x->embedded, 1);
	cr_expect_null(x->data.data);
	cr_expect_eq(x->spooled, 0);

	a = find(&r, "series");
	cr_expect_eq(a->nattach, 0);
	cr_expect_null(a->attachs);
	cr_assert_eq(a->nexcs, 1);
	x = find_attach(a->excs[0].item, "moved.txt");
	expect_bytes(x, spool, "moved", 5);
	reader_result_free(&r);
	free(big);
}

Test(reader_gen, attachments)
{
	attachments_case(NULL);
}

/* The same bytes when they wait in a spool instead of memory. */
Test(reader_gen, attachments_spooled)
{
	FILE *spool;

	cr_assert_not_null(spool = tmpfile());
	attachments_case(spool);
	fclose(spool);
}

/* An attachment libpff cannot open costs only itself. */
static int warned;

static void
count_unread(void *arg, const struct appt *a, const char *msg)
{
	(void)arg;
	(void)a;
	cr_expect_not_null(strstr(msg, "\"lost.msg\" unreadable"), "%s",
	    msg);
	warned++;
}

Test(reader_gen, unreadable_attachment)
{
	struct reader_opts o = { 0 };
	struct writer_opts wo = { .warn = count_unread };
	struct reader_result r;
	struct pstw_msg *m;
	struct pstw_attach *at;
	struct pstw_props *p;
	char *cause = NULL;
	struct fix fx;
	struct appt *a;
	int64_t t = tu_ft(2024, 9, 3, 9, 0);
	/* A PtypObject value naming a subnode that does not exist. */
	const uint8_t obj[8] = { 0x24, 0x7F, 0, 0, 0x10, 0, 0, 0 };

	fix_open(&fx);
	fix_names(&fx);
	m = fix_appt(&fx, "planning", t, t + 1);
	at = pstw_msg_attach(m);
	p = pstw_attach_props(at);
	pstw_set_str(p, 0x3707, "lost.msg");
	pstw_set_i4(p, 0x3705, 5);
	pstw_set_raw(p, 0x3701, 0x000D, obj, sizeof obj);
	at = pstw_msg_attach(m);
	pstw_set_str(pstw_attach_props(at), 0x3707, "kept.txt");
	pstw_attach_data(at, "kept", 4);
	fix_write(&fx, fx.cal, m);
	a = fix_read_one(&fx, &o, &r);
	cr_expect_eq(r.nskips, 0);
	cr_assert_eq(a->nattach, 2);
	cr_expect_str_eq(a->attachs[0].name, "lost.msg");
	cr_assert_not_null(a->attachs[0].unread);
	cr_expect_not_null(strstr(a->attachs[0].unread,
	    "attachment 1 \"lost.msg\" unreadable, left out: "), "%s",
	    a->attachs[0].unread);
	cr_expect_null(a->attachs[0].data.data);
	cr_expect_str_eq(a->attachs[1].name, "kept.txt");
	cr_expect_null(a->attachs[1].unread);
	/* The writer says so once, and writes the readable one. */
	warned = 0;
	cr_assert_eq(writer_render(r.appts.v, 1, &wo, NULL, &cause), 0);
	cr_expect_eq(warned, 1);
	reader_result_free(&r);
}

/* Real data: the Outlook.com meeting's three files, as pffexport
 * extracts them (sizes, first and last bytes, the whole text file). */
Test(reader_corpus, ost_attachments)
{
	struct reader_opts o = { 0 };
	struct reader_result r;
	const struct appt_attach *x;
	struct appt *a;

	read_ok("pst-extractor__pstextractortest@outlook.com.ost", &o, &r);
	cr_expect_eq(r.nskips, 0);
	a = find(&r, "meeting with attachments (jpg, pdf, text)");
	cr_assert_eq(a->nattach, 3);
	x = find_attach(a, "primoz-roglic-of-slovenia-and-team-jumbo-visma-red-"
	    "leader-news-photo-162....jpg");
	cr_assert_eq(x->data.len, 79653);
	cr_expect_eq(memcmp(x->data.data, "\xFF\xD8\xFF\xE0", 4), 0);
	x = find_attach(a, "Clinometer Usage.pdf");
	cr_assert_eq(x->data.len, 87069);
	cr_expect_eq(memcmp(x->data.data, "%PDF-1.3\r", 9), 0);
	cr_expect_eq(memcmp(x->data.data + x->data.len - 7, "\r%%EOF\r", 7),
	    0);
	x = find_attach(a, "text.txt");
	cr_assert_eq(x->data.len, 18);
	cr_expect_eq(memcmp(x->data.data, "this is a text doc", 18), 0);
	cr_expect_eq(x->embedded, 0);
	reader_result_free(&r);
}

Test(reader_mkpst, attachments)
{
	static const char agenda[] = "1. Budget\n2. Caf\xC3\xA9 prices "
	    "\xE2\x80\x93 5 \xE2\x82\xAC\n3. AOB";
	struct reader_opts o = { 0 };
	struct reader_result r;
	const struct appt_attach *x;
	struct appt *a;
	size_t i;

	mkpst_read("attachments.ics", &o, &r);
	cr_expect_eq(r.nskips, 0);
	cr_assert_eq(r.appts.n, 5);
	/* An OLE object's bytes come from its subnode (PtypObject). */
	a = find(&r, "Whiteboard session");
	cr_assert_eq(a->nattach, 1);
	x = find_attach(a, "Picture (Device Independent Bitmap)");
	cr_expect_eq(x->embedded, 0);
	cr_assert_eq(x->data.len, 29);
	cr_expect_eq(memcmp(x->data.data, "OLE storage bytes\nsecond line",
	    29), 0);
	a = find(&r, "Budget review");
	cr_assert_eq(a->nattach, 1);
	x = find_attach(a, "Agenda Q3 (draft).txt");
	cr_expect_eq(x->embedded, 0);
	cr_assert_eq(x->data.len, sizeof agenda - 1);
	cr_expect_eq(memcmp(x->data.data, agenda, x->data.len), 0);
	for (i = 0; i < r.appts.n; i++) {
		a = r.appts.v[i];
		if (strcmp(a->subject, "Design sync") != 0)
			continue;
		x = find_attach(a, "spec.txt");
		cr_assert_eq(x->data.len, 19);
		cr_expect_eq(memcmp(x->data.data, "Section 1\nSection 2", 19),
		    0);
	}
	a = find(&r, "Project stand-up");
	cr_expect_eq(a->nattach, 1);
	cr_assert_eq(a->nexcs, 1);
	cr_expect_eq(a->excs[0].item->nattach, 0);
	reader_result_free(&r);
}

/* mkpst stores a zoned item's zone as start and as end, as Outlook
 * does; the model keeps the start one only. */
Test(reader_mkpst, end_zone_kept_once)
{
	struct reader_opts o = { 0 };
	struct reader_result r;
	const struct appt *a;

	mkpst_read("singles.ics", &o, &r);
	a = find(&r, "Quarterly planning (Berlin office)");
	cr_assert_not_null(a->tzdef_start.data);
	cr_expect_null(a->tzdef_end.data);
	reader_result_free(&r);
}
