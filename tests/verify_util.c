/* verify_util.c: helpers shared by the verify test programs
 * (test_verify*.c), moved out of test_verify.c. */
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

char *
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
int
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

void
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
int
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
char *
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

void
load_fixture(struct vrun *r, const char *dir, const char *name, int all)
{
	char *pst = fixture_pst(dir, name);

	cr_assert_eq(vrun_load(r, pst, all), 0, "%s: not read", name);
	free(pst);
}

/* Calls fn once for each fixture tests/data/NAME.ics, with a scratch
 * directory for its PST; at least 15 fixtures must be there. */
void
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

/* A fixture read, its PST gone again. */
void
load_tamper(struct vrun *r, const char *name)
{
	char *dir = tu_tmpdir();

	load_fixture(r, dir, name, 0);
	tu_rmdir(dir);
	free(dir);
}
