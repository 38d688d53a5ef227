/* test_pstmem.c: memory that does not grow with the file. Our reader
 * maps the file; the pages it has read must leave the resident set as
 * it goes (pst/file.c), or a whole-file walk holds the whole file. */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "pst/pst.h"
#include "pst/pstint.h"
#include "pst/walk.h"

/* Resident kB of the mapping that holds p, from /proc/self/smaps; -1
 * when it cannot be told. */
static long
map_rss_kb(const void *p)
{
	FILE		*fp;
	char		 line[512];
	uintptr_t	 lo, hi, at = (uintptr_t)p;
	long		 kb = -1;
	int		 in = 0;

	if ((fp = fopen("/proc/self/smaps", "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, fp) != NULL) {
		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " ", &lo, &hi) == 2 &&
		    strchr(line, ' ') != NULL && strchr(line, '-') <
		    strchr(line, ' ')) {
			in = lo <= at && at < hi;
			continue;
		}
		if (in && sscanf(line, "Rss: %ld kB", &kb) == 1)
			break;
	}
	fclose(fp);
	return kb;
}

Test(pstmem, walk_drops_read_pages)
{
	const char	*mkpst = tu_env("MKPST");
	struct tu_run	 r;
	struct pst	*f, *g;
	struct pst_walk	 a, b;
	char		*dir, *pst, *cause = NULL;
	long		 rss, size_kb;

	if (mkpst == NULL)
		cr_skip_test("MKPST not set");
	if (map_rss_kb(&r) < 0)
		cr_skip_test("no /proc/self/smaps");
	dir = tu_tmpdir();
	pst = tu_path(dir, "big.pst");
	tu_run(&r, NULL, (char *const[]){ (char *)mkpst, (char *)"--synth",
	    (char *)"2000", (char *)"--body-bytes", (char *)"12000",
	    (char *)"--mails", (char *)"500", (char *)"-o", pst, NULL });
	cr_assert_eq(r.status, 0, "mkpst: %s", r.err);
	tu_run_free(&r);

	cr_assert_eq(pst_open(pst, 0, &f, &cause), 0, "%s", cause);
	cr_assert(f->mapped, "the file was not mapped");
	size_kb = (long)(pst_file_size(f) / 1024);
	cr_assert_gt(size_kb, 24 * 1024, "fixture too small: %ld kB",
	    size_kb);
	pst_walk(f, &a);
	cr_assert_eq(a.errors, 0, "%s", a.first_error);
	cr_assert_geq(a.messages, 2500);
	/* Every block was read; without the trims all of it stays. */
	rss = map_rss_kb(f->map);
	cr_assert_geq(rss, 0);
	cr_assert_lt(rss, size_kb / 2, "%ld kB of a %ld kB file still "
	    "resident after the walk", rss, size_kb);
	pst_file_trim(f);
	rss = map_rss_kb(f->map);
	cr_assert_lt(rss, 1024, "%ld kB resident after a trim", rss);

	/* What the walk read is the same as through pread. */
	cr_assert_eq(pst_open(pst, PST_OPEN_PREAD, &g, &cause), 0, "%s",
	    cause);
	pst_walk(g, &b);
	cr_assert_eq(b.errors, 0);
	cr_assert_eq(a.messages, b.messages);
	cr_assert_eq(a.props, b.props);
	cr_assert_eq(a.recipients, b.recipients);
	cr_assert_eq(a.attachments, b.attachments);
	pst_close(f);
	pst_close(g);
	tu_rmdir(dir);
	free(dir);
	free(pst);
}
