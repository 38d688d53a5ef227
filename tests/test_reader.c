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
#include "reader_util.h"
#include "xmalloc.h"

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
