/* test_mkpst_synth.c: mkpst --synth plants what it reports and
 * is deterministic; the sample fixture builds. */
#include <sys/stat.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <libpff.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ft.h"
#include "le.h"
#include "model.h"
#include "recur.h"
#include "rtf.h"
#include "testutil.h"
#include "mkpst_util.h"
#include "text.h"
#include "tz.h"

/* ---- synthetic mode --------------------------------------------------- */

static void
synth(const char *out, const char *seed, struct tu_run *r)
{
	const char *mkpst = tu_env("MKPST");

	if (mkpst == NULL)
		cr_skip_test("MKPST not set");
	tu_run(r, NULL, (char *const[]){ (char *)mkpst, (char *)"--synth",
	    (char *)"300", (char *)"--seed", (char *)seed,
	    (char *)"--dup-share", (char *)"0.1", (char *)"--body-bytes",
	    (char *)"500", (char *)"--mails", (char *)"20",
	    (char *)"--attach-bytes", (char *)"5000", (char *)"-o",
	    (char *)out, NULL });
	cr_assert_eq(r->status, 0, "status %d: %s", r->status, r->err);
}

static unsigned long
planted(const char *err, const char *key)
{
	const char *p = strstr(err, key);

	cr_assert_not_null(p, "no %s in \"%s\"", key, err);
	return strtoul(p + strlen(key), NULL, 10);
}

Test(mkpst, synth_plants_what_it_reports)
{
	char *dir = tu_tmpdir(), *out = tu_path(dir, "s.pst"), *s;
	unsigned long cra = 0, cal = 0, mails = 0, nog = 0, atts = 0, excs = 0;
	struct tu_run r;
	struct tpst t;
	size_t i;

	synth(out, "7", &r);
	cr_expect_eq(planted(r.err, " items="), 300);
	cr_expect_eq(planted(r.err, " goid_dups="), 15);
	cr_expect_eq(planted(r.err, " content_dups="), 15);
	cr_expect_eq(planted(r.err, " originals="), 270);
	cr_expect_eq(planted(r.err, " mails="), 20);
	cr_expect_eq(planted(r.err, " singles=") + planted(r.err,
	    " all_day=") + planted(r.err, " meetings=") + planted(r.err,
	    " series="), 270);
	load(out, &t);
	for (i = 0; i < t.n; i++) {
		if (strcmp(t.v[i]->folder, "Inbox") == 0) {
			mails++;
			atts += t.v[i]->natts;
			continue;
		}
		cr_expect_str_eq(t.v[i]->folder, "Calendar");
		cal++;
		s = set_str(&t.v[i]->props, 0x3FF8);
		if (s != NULL && strcmp(s, "Calendar Repair Assistant") == 0)
			cra++;
		free(s);
		if (get_lid(&t.v[i]->props, ps_meeting, 0x0003) == NULL)
			nog++;
		for (size_t k = 0; k < t.v[i]->natts; k++) {
			if (t.v[i]->embs[k] != NULL)
				excs++;
			else
				atts++;
		}
		cr_expect_eq(get_tag(&t.v[i]->props, 0x1000)->len, 1000);
	}
	cr_expect_eq(cal, 300);
	cr_expect_eq(mails, 20);
	cr_expect_eq(cra, 15);
	/* Content duplicates and their originals carry no GOID. */
	cr_expect_eq(nog, 30);
	cr_expect_eq(atts, planted(r.err, " attachments="));
	cr_expect_geq(excs, planted(r.err, " exceptions="));
	tu_run_free(&r);
	built_free(&t, out, dir);
}

Test(mkpst, synth_is_deterministic)
{
	char *dir = tu_tmpdir(), *a = tu_path(dir, "a.pst");
	char *b = tu_path(dir, "b.pst"), *c = tu_path(dir, "c.pst");
	char *da, *db, *dc;
	size_t la, lb, lc;
	struct tu_run r;

	synth(a, "42", &r);
	tu_run_free(&r);
	synth(b, "42", &r);
	tu_run_free(&r);
	synth(c, "43", &r);
	tu_run_free(&r);
	da = tu_slurp(a, &la);
	db = tu_slurp(b, &lb);
	dc = tu_slurp(c, &lc);
	cr_assert_eq(la, lb);
	cr_expect_eq(memcmp(da, db, la), 0);
	cr_expect(la != lc || memcmp(da, dc, la) != 0);
	free(da);
	free(db);
	free(dc);
	free(a);
	free(b);
	free(c);
	tu_rmdir(dir);
	free(dir);
}

Test(mkpst, sample_builds)
{
	const char *mkpst = tu_env("MKPST"), *src = tu_env("TEST_SRCDIR");
	char *dir, *out, *in, *s;
	struct tu_run r;
	struct tpst t;
	size_t i, cra = 0, quest = 0, excs = 0;

	if (mkpst == NULL || src == NULL)
		cr_skip_test("MKPST or TEST_SRCDIR not set");
	dir = tu_tmpdir();
	out = tu_path(dir, "sample.pst");
	cr_assert_neq(asprintf(&in, "%s/../sample/sample.ics", src), -1);
	tu_run(&r, NULL, (char *const[]){ (char *)mkpst, (char *)"-o", out,
	    in, NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	load(out, &t);
	cr_expect_eq(t.n, 10);
	for (i = 0; i < t.n; i++) {
		s = set_str(&t.v[i]->props, 0x3FF8);
		cra += s != NULL && strcmp(s, "Calendar Repair Assistant") == 0;
		quest += s != NULL && strcmp(s, "Quest Sync Agent") == 0;
		excs += t.v[i]->natts;
		free(s);
	}
	cr_expect_eq(cra, 2);
	cr_expect_eq(quest, 3);
	cr_expect_eq(excs, 2);
	free(in);
	built_free(&t, out, dir);
}
