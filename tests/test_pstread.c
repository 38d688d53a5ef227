/* test_pstread.c: our PST reader (src/pst/) against libpff, on fixtures
 * mkpst builds (encoded forms and the corpus: test_pstread_encoded.c;
 * damaged files: test_pstread_damage.c). */
#include <criterion/criterion.h>
#include <dirent.h>
#include <libpff.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "le.h"
#include "testutil.h"
#include "pstread_util.h"
#include "pst/crc.h"
#include "pst/crypt.h"
#include "pst/mapi.h"
#include "pst/pst.h"
#include "pst/pstint.h"
#include "pst/walk.h"

Test(pstread, fixtures_match_libpff)
{
	static const char *names[] = { "singles.ics", "exceptions.ics",
	    "attachments.ics", "folders.ics", "meetings.ics",
	    "recurring.ics", "traps.ics", "duplicates.ics" };
	struct cmp	 c;
	char		*dir, *pst;
	size_t		 i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		pst = fixture(names[i], &dir);
		cr_assert_eq(cmp_file(pst, &c), 1, "libpff cannot open %s",
		    names[i]);
		cr_assert_eq(c.mismatches, 0, "%s: %zu mismatches, first: %s",
		    names[i], c.mismatches, c.first);
		cr_assert_gt(c.appointments, 0, "%s", names[i]);
		cr_assert_gt(c.entries, 20 * c.messages, "%s", names[i]);
		cr_assert_gt(c.named, 0, "%s", names[i]);
		cr_assert_eq(c.lpff_failed, 0, "%s", names[i]);
		if (strcmp(names[i], "exceptions.ics") == 0)
			cr_assert_gt(c.embedded, 0);
		if (strcmp(names[i], "meetings.ics") == 0)
			cr_assert_gt(c.rows, 0);
		tu_rmdir(dir);
		free(dir);
		free(pst);
	}
}

/* FILETIME of a UTC civil time (days from 1601 by the usual formula). */
static uint64_t
filetime(int y, int mo, int d, int h, int mi)
{
	int64_t	yy = y - (mo <= 2), era, doe, yoe, days;

	era = (yy >= 0 ? yy : yy - 399) / 400;
	yoe = yy - era * 400;
	doe = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doe;
	days = era * 146097 + doe - 719468;	/* since 1970-01-01 */
	return (uint64_t)((days * 86400 + h * 3600 + mi * 60) +
	    11644473600LL) * 10000000ULL;
}

Test(pstread, fixture_values)
{
	struct pst		*f;
	struct pst_folder	*fo;
	struct pst_msglist	 ml;
	struct pst_pc		*pc;
	struct pst_prop		 v;
	size_t			 nf, i, j, ncal = 0;
	uint16_t		 sw, ew;
	char			*dir, *pst, *s, *cause = NULL;
	int			 seen = 0;

	pst = fixture("singles.ics", &dir);
	cr_assert_eq(pst_open(pst, 0, &f, &cause), 0, "%s", cause);
	cr_assert_eq(pst_file_layout(f)->kind, PST_UNICODE);
	cr_assert_eq(pst_named_lid(f, mapi_psetid_appointment,
	    MAPI_LID_APPT_START_WHOLE, &sw, &cause), 0);
	cr_assert_eq(pst_named_lid(f, mapi_psetid_appointment,
	    MAPI_LID_APPT_END_WHOLE, &ew, &cause), 0);
	cr_assert_geq(sw, PST_NAMED_FIRST);
	cr_assert_geq(ew, PST_NAMED_FIRST);
	cr_assert_eq(pst_folders(f, &fo, &nf, &cause), 0);
	for (i = 0; i < nf; i++) {
		cr_assert(fo[i].ok, "folder 0x%x: %s", fo[i].nid, fo[i].err);
		if (fo[i].container_class == NULL ||
		    strcmp(fo[i].container_class, MAPI_FOLDER_CALENDAR) != 0)
			continue;
		ncal++;
		cr_assert_eq(pst_folder_messages(f, fo[i].nid, &ml, &cause),
		    0);
		cr_assert_eq(ml.n, 4);
		cr_assert_eq(fo[i].content_count, 4);
		cr_assert_eq(ml.extra, 0);
		cr_assert_eq(ml.missing, 0);
		for (j = 0; j < ml.n; j++) {
			cr_assert_eq(pst_pc_open(f, ml.nid[j], &pc, &cause), 0);
			cr_assert_eq(pst_pc_get(pc, MAPI_ID_SUBJECT, &v,
			    &cause), 1);
			pst_prop_utf8(&v, &s);
			if (strstr(s, "Dentist") != NULL) {
				seen = 1;
				cr_assert_eq(pst_pc_get(pc, sw, &v, &cause), 1);
				cr_assert_eq(v.type, MAPI_PT_SYSTIME);
				cr_assert_eq(le_get64(v.p),
				    filetime(2024, 3, 12, 8, 30));
				cr_assert_eq(pst_pc_get(pc, ew, &v, &cause), 1);
				cr_assert_eq(le_get64(v.p),
				    filetime(2024, 3, 12, 9, 15));
				cr_assert_eq(pst_pc_get(pc,
				    MAPI_ID_MESSAGE_CLASS, &v, &cause), 1);
				free(s);
				pst_prop_utf8(&v, &s);
				cr_assert_str_eq(s, MAPI_CLASS_APPOINTMENT);
			}
			free(s);
			pst_pc_free(pc);
		}
		pst_msglist_free(&ml);
	}
	cr_assert_eq(ncal, 1);
	cr_assert(seen);
	pst_folders_free(fo, nf);
	pst_close(f);
	tu_rmdir(dir);
	free(dir);
	free(pst);
}

/* A synthetic file large enough for multi-level B-trees, XBLOCKs in
 * bodies, attachments and the contents table: read both ways alike. */
Test(pstread, big_synthetic_and_pread)
{
	const char	*mkpst = tu_env("MKPST");
	struct tu_run	 r;
	struct pst	*f, *g;
	struct pst_walk	 a, b;
	char		*dir, *pst, *cause = NULL;
	struct cmp	 c;

	if (mkpst == NULL)
		cr_skip_test("MKPST not set");
	dir = tu_tmpdir();
	pst = tu_path(dir, "big.pst");
	tu_run(&r, NULL, (char *const[]){ (char *)mkpst, (char *)"--synth",
	    (char *)"1500", (char *)"--body-bytes", (char *)"20000",
	    (char *)"--attach-bytes", (char *)"30000", (char *)"--mails",
	    (char *)"300", (char *)"-o", pst, NULL });
	cr_assert_eq(r.status, 0, "mkpst: %s", r.err);
	tu_run_free(&r);
	cr_assert_eq(pst_open(pst, 0, &f, &cause), 0, "%s", cause);
	cr_assert_eq(pst_open(pst, PST_OPEN_PREAD, &g, &cause), 0, "%s",
	    cause);
	pst_walk(f, &a);
	pst_walk(g, &b);
	cr_assert_eq(a.errors, 0, "%s", a.first_error);
	cr_assert_geq(a.messages, 1800);
	cr_assert_gt(a.attachments, 0);
	cr_assert_eq(a.messages, b.messages);
	cr_assert_eq(a.props, b.props);
	cr_assert_eq(a.recipients, b.recipients);
	cr_assert_eq(b.errors, 0);
	pst_close(f);
	pst_close(g);
	cr_assert_eq(cmp_file(pst, &c), 1);
	cr_assert_eq(c.mismatches, 0, "%zu mismatches, first: %s",
	    c.mismatches, c.first);
	tu_rmdir(dir);
	free(dir);
	free(pst);
}
