/* reader_util.c: helpers shared by the reader test programs
 * (test_reader*.c), moved out of test_reader.c. */
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

void
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

void
fix_open(struct fix *fx)
{
	strcpy(fx->dir, "/tmp/test_reader.XXXXXX");
	cr_assert_not_null(mkdtemp(fx->dir));
	xasprintf(&fx->path, "%s/fixture.pst", fx->dir);
	fx->w = tu_pstw_open(fx->path, "fixture", &fx->cal);
}

/* Named ids, allocated in the order a test wants them. */
void
fix_names(struct fix *fx)
{
	fx->start = pstw_named_lid(fx->w, pstw_psetid_appointment, 0x820D);
	fx->end = pstw_named_lid(fx->w, pstw_psetid_appointment, 0x820E);
	fx->replace = pstw_named_lid(fx->w, pstw_psetid_appointment, 0x8228);
	fx->subtype = pstw_named_lid(fx->w, pstw_psetid_appointment, 0x8215);
}

struct pstw_msg *
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

void
fix_write(struct fix *fx, uint32_t folder, struct pstw_msg *m)
{
	tu_pstw_write(fx->w, folder, m);
}

void
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
struct appt *
fix_read_one(struct fix *fx, const struct reader_opts *o,
    struct reader_result *r)
{
	fix_read(fx, o, r);
	cr_assert_eq(r->appts.n, 1);
	return r->appts.v[0];
}

struct appt *
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

/* Fixtures from the iCalendar text in tests/data, through mkpst. */

void
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
