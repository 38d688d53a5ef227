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
#include "verify_util.h"
#include "verify.h"
#include "writer.h"

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
