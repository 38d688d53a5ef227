/* test_readers.c: our reader against libpff, the differential test.
 *
 * Both readers run on every fixture the tests build (tests/data, the
 * sample, synthetic files from mkpst --synth) and on every PST/OST in
 * the corpus (skipped when absent), with and without -a, and with -l:
 * every file either writes (a clean and a removed .ics per folder), the
 * JSON report, the exit status and the messages on standard error must
 * be the same set of names with identical contents apart from the one
 * line that names the reader (in the report; -v prints it too). Where
 * libpff itself is wrong, a test names the defect and checks our value
 * instead. libpff's multi-valued string defect (no values) does not show:
 * both backends hand reader.c the raw bytes, which it parses itself.
 * The fixtures that test_reader.c and test_badinput.c build in C run
 * there, with the default reader (ours) and, for test_badinput, again
 * with libpff (badinput-libpff.sh).
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "le.h"
#include "pst/crc.h"
#include "testutil.h"
#include "xmalloc.h"

#define MAXARGS	16
#define MAXFILES	256

/* The most .ics files one run wrote: the per-folder compare is real. */
static size_t	 most_ics;

/* One run's outputs. */
struct out {
	struct tu_run	 r;
	char		*clean;		/* NULL when not written */
	char		*removed;
	char		*report;
	char		*names[MAXFILES]; /* every file written, sorted */
	char		*texts[MAXFILES];
	size_t		 nfiles;
};

static void	 run_reader(struct out *, const char *, const char *,
		    const char *, const char *);
static void	 out_free(struct out *);
static int	 name_cmp(const void *, const void *);
static void	 list_files(struct out *, const char *);
static void	 same_files(const char *, const struct out *,
		    const struct out *, int);
static char	*strip_reader(const char *, int *);
static void	 same_text(const char *, const char *, const char *,
		    const char *, int);
static void	 compare(const char *, const char *, const char *);
static void	 compare_list(const char *, const char *);
static void	 compare_both(const char *, const char *);
static const char *corpus(void);
static int	 is_pst(const char *);
static int	 unsort_nbt(uint8_t *, size_t);

/* Run pstdedup --reader NAME [flag] ../in.pst in dir/NAME, writing the
 * clean and removed calendars and the JSON report there. The input path
 * is the same string for both readers, so is every name in the outputs. */
static void
run_reader(struct out *o, const char *dir, const char *reader,
    const char *in, const char *flag)
{
	char	*argv[MAXARGS], *sub, *p;
	int	 argc = 0;

	memset(o, 0, sizeof *o);
	sub = tu_path(dir, reader);
	/* Nothing left from an earlier run: every file here is this one's. */
	tu_rmdir(sub);
	cr_assert(mkdir(sub, 0700) == 0, "%s", sub);
	argv[argc++] = (char *)tu_pstdedup();
	argv[argc++] = (char *)"--reader";
	argv[argc++] = (char *)reader;
	if (flag != NULL)
		argv[argc++] = (char *)flag;
	argv[argc++] = (char *)"-o";
	argv[argc++] = (char *)"clean.ics";
	argv[argc++] = (char *)"-r";
	argv[argc++] = (char *)"removed.ics";
	argv[argc++] = (char *)"-R";
	argv[argc++] = (char *)"report.json";
	argv[argc++] = (char *)in;
	argv[argc] = NULL;
	tu_run(&o->r, sub, argv);
	cr_assert_lt(o->r.status, 128, "%s: killed: %s", reader, o->r.err);
	o->clean = tu_slurp((p = tu_path(sub, "clean.ics")), NULL);
	free(p);
	o->removed = tu_slurp((p = tu_path(sub, "removed.ics")), NULL);
	free(p);
	o->report = tu_slurp((p = tu_path(sub, "report.json")), NULL);
	free(p);
	list_files(o, sub);
	free(sub);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every file in dir, by name, with its contents. */
static void
list_files(struct out *o, const char *dir)
{
	struct dirent	*de;
	DIR		*d;
	size_t		 i;
	char		*p;

	cr_assert_not_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		cr_assert_lt(o->nfiles, MAXFILES, "%s: too many files", dir);
		o->names[o->nfiles++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(o->names, o->nfiles, sizeof *o->names, name_cmp);
	for (i = 0; i < o->nfiles; i++) {
		o->texts[i] = tu_slurp((p = tu_path(dir, o->names[i])), NULL);
		cr_assert_not_null(o->texts[i], "%s", p);
		free(p);
	}
}

static void
out_free(struct out *o)
{
	tu_run_free(&o->r);
	free(o->clean);
	free(o->removed);
	free(o->report);
	while (o->nfiles > 0) {
		o->nfiles--;
		free(o->names[o->nfiles]);
		free(o->texts[o->nfiles]);
	}
}

/* The text without the lines that name the reader (the JSON report's
 * "reader" line, the summary's "reader:" line); *n counts them. */
static char *
strip_reader(const char *s, int *n)
{
	const char	*p, *nl;
	char		*out, *o;
	size_t		 len;

	*n = 0;
	if (s == NULL)
		return NULL;
	out = o = xmalloc(strlen(s) + 1);
	for (p = s; *p != '\0'; p = nl) {
		nl = strchr(p, '\n');
		nl = nl != NULL ? nl + 1 : p + strlen(p);
		len = (size_t)(nl - p);
		if (strncmp(p, "\"reader\":", 9) == 0 ||
		    (memmem(p, len, ": reader: ", 10) != NULL &&
		    strncmp(p, "pstdedup: ", 10) == 0)) {
			(*n)++;
			continue;
		}
		memcpy(o, p, len);
		o += len;
	}
	*o = '\0';
	return out;
}

/* a and b equal once the reader lines are gone; each had want of them. */
static void
same_text(const char *what, const char *name, const char *a, const char *b,
    int want)
{
	char	*sa, *sb;
	int	 na, nb;

	cr_assert_eq(a == NULL, b == NULL, "%s %s: written by one reader "
	    "only", name, what);
	if (a == NULL)
		return;
	sa = strip_reader(a, &na);
	sb = strip_reader(b, &nb);
	cr_assert_eq(na, want, "%s %s: %d reader lines (libpff)", name, what,
	    na);
	cr_assert_eq(nb, want, "%s %s: %d reader lines (pst)", name, what,
	    nb);
	cr_assert_str_eq(sa, sb, "%s %s differs between the readers", name,
	    what);
	free(sa);
	free(sb);
}

/* The same files, each the same once the reader lines are gone (want
 * of them in report.json, none elsewhere). */
static void
same_files(const char *name, const struct out *a, const struct out *b,
    int want)
{
	size_t	i, n;
	char	what[512];

	for (i = 0; i < a->nfiles && i < b->nfiles; i++)
		cr_assert_str_eq(a->names[i], b->names[i], "%s: libpff wrote "
		    "%s, pst %s", name, a->names[i], b->names[i]);
	cr_assert_eq(a->nfiles, b->nfiles, "%s: libpff wrote %zu files, pst "
	    "%zu", name, a->nfiles, b->nfiles);
	for (i = 0, n = 0; i < a->nfiles; i++)
		if (strstr(a->names[i], ".ics") != NULL)
			n++;
	if (n > most_ics)
		most_ics = n;
	for (i = 0; i < a->nfiles; i++) {
		snprintf(what, sizeof what, "file %s", a->names[i]);
		same_text(what, name, a->texts[i], b->texts[i],
		    strcmp(a->names[i], "report.json") == 0 ? want : 0);
	}
}

/* Both readers on in (a path relative to dir/READER), one flag or none. */
static void
compare(const char *dir, const char *in, const char *flag)
{
	struct out	 a, b;
	char		 name[512];
	int		 ok;

	snprintf(name, sizeof name, "%s%s%s", in, flag != NULL ? " " : "",
	    flag != NULL ? flag : "");
	run_reader(&a, dir, "libpff", in, flag);
	run_reader(&b, dir, "pst", in, flag);
	cr_assert_eq(a.r.status, b.r.status, "%s: exit %d (libpff) and %d "
	    "(pst): %s / %s", name, a.r.status, b.r.status, a.r.err, b.r.err);
	/* Read (1: read, but nothing to write): the report names the
	 * reader, ours read it itself, no fallback to libpff. */
	ok = a.r.status == 0 || a.r.status == 1 || a.r.status == 3;
	if (ok) {
		cr_assert_null(strstr(b.r.err, ": reader: "), "%s: %s", name,
		    b.r.err);
		cr_assert_not_null(a.report, "%s: no report", name);
		cr_assert_not_null(strstr(a.report,
		    "\n\"reader\":{\"name\":\"libpff\",\"fallback\":null},\n"),
		    "%s: %s", name, a.report);
		cr_assert_not_null(b.report, "%s: no report", name);
		cr_assert_not_null(strstr(b.report,
		    "\n\"reader\":{\"name\":\"pst\",\"fallback\":null},\n"),
		    "%s: %s", name, b.report);
	}
	same_text("clean .ics", name, a.clean, b.clean, 0);
	same_text("removed .ics", name, a.removed, b.removed, 0);
	same_text("JSON report", name, a.report, b.report, ok);
	same_files(name, &a, &b, ok);
	same_text("messages", name, a.r.err, b.r.err, 0);
	out_free(&a);
	out_free(&b);
}

/* The folder listing (-l): every folder's counts, the same. */
static void
compare_list(const char *dir, const char *in)
{
	struct tu_run	 a, b;
	char		*sub;

	sub = tu_path(dir, "pst");
	tu_run(&a, sub, (char *const[]){ (char *)tu_pstdedup(),
	    (char *)"--reader", (char *)"libpff", (char *)"-l", (char *)in,
	    NULL });
	tu_run(&b, sub, (char *const[]){ (char *)tu_pstdedup(),
	    (char *)"--reader", (char *)"pst", (char *)"-l", (char *)in,
	    NULL });
	cr_assert_eq(a.status, b.status, "%s -l: %s / %s", in, a.err, b.err);
	cr_assert_str_eq(a.out, b.out, "%s -l differs", in);
	cr_assert_str_eq(a.err, b.err, "%s -l differs", in);
	tu_run_free(&a);
	tu_run_free(&b);
	free(sub);
}

static void
compare_both(const char *dir, const char *in)
{
	compare(dir, in, NULL);
	compare(dir, in, "-a");
	compare_list(dir, in);
}

static const char *
corpus(void)
{
	const char	*dir = tu_env("PSTDEDUP_CORPUS");
	DIR		*d;

	if (dir == NULL || (d = opendir(dir)) == NULL)
		cr_skip_test("PSTDEDUP_CORPUS not set or not a directory");
	closedir(d);
	return dir;
}

static int
is_pst(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && (strcmp(name + n - 4, ".pst") == 0 ||
	    strcmp(name + n - 4, ".ost") == 0);
}

/* Every fixture of tests/data and the sample. */
Test(readers, fixtures)
{
	const char	*src = tu_env("TEST_SRCDIR"), *mkpst = tu_env("MKPST");
	struct dirent	*de;
	struct tu_run	 r;
	char		*dir, *data, *pst, *sample;
	DIR		*d;
	size_t		 n = 0, len;

	if (src == NULL || mkpst == NULL)
		cr_skip_test("TEST_SRCDIR or MKPST not set");
	tu_pstdedup();
	most_ics = 0;
	data = tu_path(src, "data");
	cr_assert_not_null(d = opendir(data));
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 5 || strcmp(de->d_name + len - 4, ".ics") != 0)
			continue;
		dir = tu_tmpdir();
		pst = tu_path(dir, "in.pst");
		tu_mkpst(de->d_name, pst);
		compare_both(dir, "../in.pst");
		free(pst);
		tu_rmdir(dir);
		free(dir);
		n++;
	}
	closedir(d);
	cr_assert_geq(n, 10, "only %zu fixtures", n);
	/* folders.ics with -a: four folders' calendars and a removed file. */
	cr_assert_geq(most_ics, 5, "at most %zu .ics files in one run",
	    most_ics);

	dir = tu_tmpdir();
	pst = tu_path(dir, "in.pst");
	sample = tu_path(src, "../sample/sample.ics");
	tu_run(&r, NULL, (char *const[]){ (char *)mkpst, (char *)"-o", pst,
	    sample, NULL });
	cr_assert_eq(r.status, 0, "mkpst: %s", r.err);
	tu_run_free(&r);
	compare_both(dir, "../in.pst");
	free(sample);
	free(pst);
	tu_rmdir(dir);
	free(dir);
	free(data);
}

/* Synthetic files: duplicates, mail beside the calendar, attachments. */
Test(readers, synthetic)
{
	static const char *const seeds[][3] = {
		{ "200", "1", "0" },
		{ "300", "7", "400" },
	};
	const char	*mkpst = tu_env("MKPST");
	struct tu_run	 r;
	char		*dir, *pst;
	size_t		 i;

	if (mkpst == NULL)
		cr_skip_test("MKPST not set");
	tu_pstdedup();
	for (i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
		dir = tu_tmpdir();
		pst = tu_path(dir, "in.pst");
		tu_run(&r, NULL, (char *const[]){ (char *)mkpst,
		    (char *)"--synth", (char *)seeds[i][0], (char *)"--seed",
		    (char *)seeds[i][1], (char *)"--mails",
		    (char *)seeds[i][2], (char *)"--attach-bytes",
		    (char *)"3000", (char *)"-o", pst, NULL });
		cr_assert_eq(r.status, 0, "mkpst: %s", r.err);
		tu_run_free(&r);
		compare_both(dir, "../in.pst");
		free(pst);
		tu_rmdir(dir);
		free(dir);
	}
}

/*
 * libpff defect: a property of type 0x0000 (PT_UNSPECIFIED) makes the
 * whole record set unreadable ("unsupported value type: 0x00000000 with
 * value size: 4"): in Chunks_Test_part1.pst, 12 contacts in Contacts.
 * Our reader reads them; with -a they are counted as other items, not
 * skipped. Everything else is the same.
 */
static const char chunks[] = "aspose-email-net__Chunks_Test_part1.pst";

/* Every corpus file, both ways (the known libpff defect apart). */
Test(readers, corpus)
{
	const char	*dir = corpus();
	struct dirent	*de;
	char		*work, *in;
	DIR		*d;
	size_t		 n = 0;

	tu_pstdedup();
	cr_assert_not_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL) {
		if (!is_pst(de->d_name))
			continue;
		work = tu_tmpdir();
		in = tu_path(dir, de->d_name);
		if (in[0] != '/')
			cr_skip_test("PSTDEDUP_CORPUS is not absolute");
		compare(work, in, NULL);
		compare_list(work, in);
		if (strcmp(de->d_name, chunks) != 0)
			compare(work, in, "-a");
		free(in);
		tu_rmdir(work);
		free(work);
		n++;
	}
	closedir(d);
	cr_assert_gt(n, 0, "no PST in %s", dir);
}

Test(readers, libpff_defect_unspecified_type)
{
	const char	*dir = corpus();
	struct out	 a, b;
	char		*work, *in, *p;
	size_t		 k;

	tu_pstdedup();
	in = tu_path(dir, chunks);
	if (access(in, R_OK) != 0)
		cr_skip_test("%s not in the corpus", chunks);
	work = tu_tmpdir();
	run_reader(&a, work, "libpff", in, "-a");
	run_reader(&b, work, "pst", in, "-a");
	cr_assert_eq(a.r.status, 0, "%s", a.r.err);
	cr_assert_eq(b.r.status, 0, "%s", b.r.err);
	/* libpff: 12 unreadable contacts. */
	for (k = 0, p = a.report; (p = strstr(p, "unsupported value type: "
	    "0x00000000")) != NULL; p++)
		k++;
	cr_assert_eq(k, 13, "libpff no longer has the defect? %s", a.report);
	cr_assert_not_null(strstr(a.report, "\"read\":21,\"kept\":1,"
	    "\"removed\":8,\"groups\":1,\"conflicts\":0,\"review\":0,"
	    "\"skipped\":12,"));
	/* Ours: the same calendar, nothing skipped. */
	cr_assert_not_null(strstr(b.report, "\"read\":9,\"kept\":1,"
	    "\"removed\":8,\"groups\":1,\"conflicts\":0,\"review\":0,"
	    "\"skipped\":0,\"damaged\":0,\"left_out\":0,\"degraded\":0,"
	    "\"skipped_by_reason\":{}}"),
	    "%s", b.report);
	cr_assert_not_null(strstr(b.report, "\n\"skipped\":[],\n"));
	cr_assert_not_null(a.clean);
	cr_assert_not_null(b.clean);
	cr_assert_str_eq(a.clean, b.clean);
	cr_assert_str_eq(a.removed, b.removed);
	out_free(&a);
	out_free(&b);
	tu_rmdir(work);
	free(work);
	free(in);
}

/*
 * libpff defect: characters outside the BMP are mis-decoded by its
 * UTF-16 conversion (U+1F389 comes out as U+1EF8A, F0 9E BE 8A), which
 * the libpff backend cannot avoid for folder names. Our reader decodes
 * the surrogate pair.
 */
Test(readers, libpff_defect_non_bmp_folder_name)
{
	static const char text[] =
	    "BEGIN:VCALENDAR\r\nPRODID:-//pstdedup//test//EN\r\n"
	    "VERSION:2.0\r\nBEGIN:VEVENT\r\nUID:party@example.com\r\n"
	    "SUMMARY:Party \xF0\x9F\x8E\x89\r\n"
	    "DTSTART:20240601T180000Z\r\nDTEND:20240601T230000Z\r\n"
	    "X-PST-FOLDER:Calendar/Fun \xF0\x9F\x8E\x89\r\n"
	    "END:VEVENT\r\nEND:VCALENDAR\r\n";
	struct tu_run	 a, b;
	char		*dir;

	dir = tu_tmpdir();
	free(tu_mkpst_text(dir, text, sizeof text - 1));
	tu_run(&a, dir, (char *const[]){ (char *)tu_pstdedup(),
	    (char *)"--reader", (char *)"libpff", (char *)"-l",
	    (char *)"in.pst", NULL });
	tu_run(&b, dir, (char *const[]){ (char *)tu_pstdedup(),
	    (char *)"--reader", (char *)"pst", (char *)"-l",
	    (char *)"in.pst", NULL });
	cr_assert_eq(a.status, 0, "%s", a.err);
	cr_assert_eq(b.status, 0, "%s", b.err);
	cr_assert_not_null(strstr(b.out, "/Calendar/Fun \xF0\x9F\x8E\x89\n"),
	    "%s", b.out);
	cr_assert_null(strstr(a.out, "/Calendar/Fun \xF0\x9F\x8E\x89\n"),
	    "libpff no longer has the defect: %s", a.out);
	cr_assert_not_null(strstr(a.out, "/Calendar/Fun \xF0\x9E\xBE\x8A\n"),
	    "%s", a.out);
	tu_run_free(&a);
	tu_run_free(&b);
	tu_rmdir(dir);
	free(dir);
}

/* Swap two adjacent entries of a node B-tree leaf of a small Unicode
 * PST (512-byte pages) that are neither folders nor messages, and fix
 * the page's CRC: the keys are out of order, which our reader refuses
 * and libpff does not notice. 0, or -1 when no such pair was found. */
static int
unsort_nbt(uint8_t *d, size_t len)
{
	uint8_t		*page, *leaf, tmp[32];
	uint64_t	 ib, lib;
	size_t		 i, k, n;
	uint32_t	 t0, t1;

	if (len < 512 || d[10] != 23)
		return -1;
	ib = le_get64(d + 224);		/* root.BREFNBT.ib */
	if (ib > len - 512)
		return -1;
	page = d + ib;
	for (k = 0; k < page[488]; k++) {
		leaf = page;
		if (page[491] != 0) {		/* cLevel: one level down */
			lib = le_get64(page + k * 24 + 16);
			if (lib > len - 512 || d[lib + 491] != 0)
				return -1;
			leaf = d + lib;
		}
		n = leaf[488];
		for (i = 0; i + 1 < n && leaf[490] == 32; i++) {
			/* NID types 2-4: folders and messages. */
			t0 = le_get32(leaf + i * 32) & 0x1F;
			t1 = le_get32(leaf + (i + 1) * 32) & 0x1F;
			if ((t0 < 2 || t0 > 4) && (t1 < 2 || t1 > 4)) {
				memcpy(tmp, leaf + i * 32, 32);
				memcpy(leaf + i * 32, leaf + (i + 1) * 32, 32);
				memcpy(leaf + (i + 1) * 32, tmp, 32);
				le_put32(leaf + 500, pst_crc32(0, leaf, 496));
				return 0;
			}
		}
		if (page[491] == 0)
			break;
	}
	return -1;
}

/* A node B-tree our reader refuses goes to libpff, and the summary and
 * the report say so and why. */
Test(readers, fallback_to_libpff)
{
	static const char text[] =
	    "BEGIN:VCALENDAR\r\nPRODID:-//pstdedup//test//EN\r\n"
	    "VERSION:2.0\r\nBEGIN:VEVENT\r\nUID:one@example.com\r\n"
	    "SUMMARY:One\r\nDTSTART:20240601T180000Z\r\n"
	    "DTEND:20240601T190000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
	struct out	 a, b;
	char		*dir, *pst, *data;
	size_t		 len;

	dir = tu_tmpdir();
	pst = tu_mkpst_text(dir, text, sizeof text - 1);
	cr_assert_not_null(data = tu_slurp(pst, &len));
	cr_assert_eq(unsort_nbt((uint8_t *)data, len), 0,
	    "no node B-tree leaf to damage");
	tu_spit(pst, data, len);
	free(data);
	run_reader(&a, dir, "libpff", "../in.pst", NULL);
	run_reader(&b, dir, "pst", "../in.pst", NULL);
	cr_assert_eq(a.r.status, 0, "%s", a.r.err);
	cr_assert_eq(b.r.status, 0, "%s", b.r.err);
	cr_assert_not_null(strstr(b.r.err, "pstdedup: ../in.pst: reader: "
	    "libpff (our reader could not read it: node B-tree: page at "),
	    "%s", b.r.err);
	cr_assert_not_null(strstr(b.r.err, "out of order"), "%s", b.r.err);
	cr_assert_not_null(strstr(b.report, "\n\"reader\":{\"name\":"
	    "\"libpff\",\"fallback\":\"node B-tree: page at "), "%s",
	    b.report);
	cr_assert_not_null(strstr(b.report, "\"read\":1,\"kept\":1,"));
	same_text("clean .ics", "fallback", a.clean, b.clean, 0);
	same_text("removed .ics", "fallback", a.removed, b.removed, 0);
	same_text("JSON report", "fallback", a.report, b.report, 1);
	same_files("fallback", &a, &b, 1);
	out_free(&a);
	out_free(&b);
	free(pst);
	tu_rmdir(dir);
	free(dir);
}

/* A header neither reader accepts: exit 65, both reasons given. */
Test(readers, damaged_for_both)
{
	static const char text[] =
	    "BEGIN:VCALENDAR\r\nPRODID:-//pstdedup//test//EN\r\n"
	    "VERSION:2.0\r\nBEGIN:VEVENT\r\nUID:one@example.com\r\n"
	    "SUMMARY:One\r\nDTSTART:20240601T180000Z\r\n"
	    "DTEND:20240601T190000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
	struct tu_run	 r;
	char		*dir, *pst, *data;
	size_t		 len;

	dir = tu_tmpdir();
	pst = tu_mkpst_text(dir, text, sizeof text - 1);
	cr_assert_not_null(data = tu_slurp(pst, &len));
	cr_assert_gt(len, 512);
	data[4] ^= 0x01;	/* dwCRCPartial */
	tu_spit(pst, data, len);
	free(data);
	tu_run(&r, dir, (char *const[]){ (char *)tu_pstdedup(), (char *)"-n",
	    (char *)"in.pst", NULL });
	cr_assert_eq(r.status, 65, "%s", r.err);
	cr_assert(strncmp(r.err, "pstdedup: in.pst: cannot read: ", 31) == 0,
	    "%s", r.err);
	cr_assert_not_null(strstr(r.err, "(our reader: header checksum "
	    "mismatch"), "%s", r.err);
	cr_assert_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1, "%s",
	    r.err);
	tu_run_free(&r);
	free(pst);
	tu_rmdir(dir);
	free(dir);
}

/* No PST at all: both readers say so, and nothing falls back. */
Test(readers, not_a_pst)
{
	static const char text[] = "just some text, no !BDN here\n";
	struct tu_run	 r;
	char		*dir, *in;
	const char	*readers[] = { "pst", "libpff" };
	size_t		 i;

	dir = tu_tmpdir();
	in = tu_path(dir, "notes.pst");
	tu_spit(in, text, sizeof text - 1);
	for (i = 0; i < 2; i++) {
		tu_run(&r, dir, (char *const[]){ (char *)tu_pstdedup(),
		    (char *)"--reader", (char *)readers[i], (char *)"-n",
		    (char *)"notes.pst", NULL });
		cr_assert_eq(r.status, 65, "%s: %d %s", readers[i], r.status,
		    r.err);
		cr_assert_str_eq(r.err, "pstdedup: notes.pst: cannot read: "
		    "not a PST or OST file\n");
		tu_run_free(&r);
	}
	free(in);
	tu_rmdir(dir);
	free(dir);
}

Test(readers, unknown_reader)
{
	struct tu_run r;

	tu_run(&r, NULL, (char *const[]){ (char *)tu_pstdedup(),
	    (char *)"--reader", (char *)"readpst", (char *)"x.pst", NULL });
	cr_assert_eq(r.status, 64);
	cr_assert(strncmp(r.err, "pstdedup: unknown reader: readpst (pst or "
	    "libpff)\n", 50) == 0, "%s", r.err);
	tu_run_free(&r);
}
