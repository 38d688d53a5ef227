/* test_dedup_fold.c: text normalization for content keys
 * (white space, case, NFC), and the sample corpus files. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "dedup.h"
#include "ft.h"
#include "model.h"
#include "reader.h"
#include "recur.h"
#include "testutil.h"
#include "dedup_util.h"
#include "writer.h"
#include "xmalloc.h"

static void
norm_is(const char *in, const char *want)
{
	char *got = dedup_norm_subject(in), *again;

	cr_assert_str_eq(got, want, "norm(\"%s\")", in ? in : "(null)");
	again = dedup_norm_subject(got);
	cr_assert_str_eq(again, got, "not idempotent on \"%s\"", got);
	free(again);
	free(got);
}

Test(norm, whitespace)
{
	norm_is("  Weekly \t\r\n Sync  ", "weekly sync");
	/* NBSP, em space, ideographic space; line separator, NEL. */
	norm_is("a\u00A0\u2003\u3000b", "a b");
	norm_is("\u2028x\302\205", "x");
	norm_is(" \t ", "");
	norm_is("", "");
	norm_is(NULL, "");
	/* Zero-width space is not white space. */
	norm_is("a\u200Bb", "a\u200Bb");
}

Test(norm, case_folding)
{
	norm_is("ÄRGER", "ärger");
	norm_is("ärger", "ärger");
	norm_is("ÀÉÎÕÜ ÇÑØÞ µ", "àéîõü çñøþ μ");
	norm_is("ŁÓDŹ ŒUVRE Ÿ ſ", "łódź œuvre ÿ s");
	norm_is("ȘEDINȚĂ", "ședință");
	norm_is("ΣΥΝΆΝΤΗΣΗ", "συνάντηση");
	norm_is("ΟΔΟΣ οδος", "οδοσ οδοσ"); /* final sigma folds too */
	norm_is("ПЛАНЁРКА Ўтро Ӏ", "планёрка ўтро ӏ");
	norm_is("日本語 ABC", "日本語 abc");
}

/* Full folding and NFC (libunistring): what the simple tables missed. */
Test(norm, full_folding_and_nfc)
{
	norm_is("Straße STRASSE", "strasse strasse");
	norm_is("İ", "i\u0307");			/* dotted capital I */
	norm_is("ﬁnance ﬀ", "finance ff");		/* ligatures */
	norm_is("Cafe\u0301 CAFÉ", "café café");	/* NFD input */
	norm_is("ＡＢＣ ａｂｃ", "ａｂｃ ａｂｃ");	/* full-width */
	norm_is("ՀԱՆԴԻՊՈՒՄ", "հանդիպում");		/* Armenian */
	norm_is("ᲨᲔᲮᲕᲔᲓᲠᲐ", "შეხვედრა");		/* Georgian Mtavruli */
	norm_is("ᏣᎳᎩ ꮳꮃꭹ", "ᏣᎳᎩ ᏣᎳᎩ");	/* Cherokee folds to capitals */
	norm_is("\U00010400", "\U00010428");		/* Deseret */
}

/* Pure ASCII skips libunistring: every printable byte, alone and after
 * a non-ASCII letter (which takes the libunistring path), folds alike. */
Test(norm, ascii_fast_path_agrees)
{
	char in[8], want[8], *got, *slow;
	int c;

	for (c = 0x21; c < 0x7F; c++) {
		snprintf(in, sizeof in, "%c", c);
		snprintf(want, sizeof want, "%c", c >= 'A' && c <= 'Z' ?
		    c - 'A' + 'a' : c);
		norm_is(in, want);
		snprintf(in, sizeof in, "\u00C9%c", c);
		slow = dedup_norm_subject(in);
		got = dedup_norm_subject(want);
		cr_assert_str_eq(slow + 2, got, "0x%02X after É", c);
		free(slow);
		free(got);
	}
	norm_is("WEEKLY Sync  1:1 @ HQ", "weekly sync 1:1 @ hq");
}

Test(norm, invalid_utf8_becomes_replacement)
{
	norm_is("a\377b", "a\uFFFDb");
	norm_is("\303", "\uFFFD");		       /* truncated */
	norm_is("\300\257", "\uFFFD\uFFFD");	       /* overlong */
	norm_is("\355\240\200", "\uFFFD\uFFFD\uFFFD"); /* surrogate */
	norm_is("\364\220\200\200x", "\uFFFD\uFFFD\uFFFD\uFFFDx");
	norm_is("\U0001F600", "\U0001F600");
}

/* Read a corpus file (all folders) or skip the test. */
static void
corpus_read(const char *name, struct reader_result *rr)
{
	struct reader_opts ro;
	const char *dir = tu_env("PSTDEDUP_CORPUS");
	char *path, *cause = NULL;

	if (dir == NULL || access(dir, R_OK) != 0)
		cr_skip_test("PSTDEDUP_CORPUS not available");
	path = tu_path(dir, name);
	memset(&ro, 0, sizeof ro);
	ro.all_folders = 1;
	cr_assert_eq(
	    reader_read(path, &ro, rr, &cause), 0, "%s: %s", path, cause);
	free(path);
}

Test(corpus, sample_ost_pair_differs_in_seconds_only)
{
	struct reader_result rr;
	struct dedup_result r;
	const struct dedup_group *g;

	/* Two copies in Deleted Items share the Clean GOID and start
	 * 21:54:25.745Z vs 21:54:00Z: a conflict, both kept. Three more
	 * differ in GOID and start minutes apart: different meetings. */
	corpus_read("aspose-email-net__SampleOstFile.ost", &rr);
	cr_assert_eq(rr.appts.n, 5);
	run(&rr.appts, NULL, &r);
	cr_assert_eq(r.ngroups, 1);
	g = &r.groups[0];
	cr_assert_eq(g->kind, DEDUP_CONFLICT);
	cr_assert_eq(g->n, 2);
	cr_assert(strstr(rr.appts.v[g->members[0]]->folder, "Deleted") != NULL);
	cr_assert(strstr(rr.appts.v[g->members[1]]->folder, "Deleted") != NULL);
	cr_assert_eq(r.removed, 0);
	cr_assert_eq(r.kept, 5);
	cr_assert_eq(r.conflicts, 1);
	dedup_result_free(&r);
	reader_result_free(&rr);
}

Test(corpus, chunks_nine_copies_without_goid)
{
	struct reader_result rr;
	struct dedup_result r;

	corpus_read("aspose-email-net__Chunks_Test_part1.pst", &rr);
	cr_assert_eq(rr.appts.n, 9);
	run(&rr.appts, NULL, &r);
	cr_assert_eq(r.ngroups, 1);
	cr_assert_eq(r.groups[0].kind, DEDUP_SAME_CONTENT);
	cr_assert_eq(r.groups[0].n, 9);
	cr_assert_eq(r.groups[0].members[0], 0); /* all equal: lowest index */
	cr_assert_eq(r.kept, 1);
	dedup_result_free(&r);
	reader_result_free(&rr);
}

Test(corpus, no_duplicates_among_169_items)
{
	struct reader_result rr;
	struct dedup_result r;

	corpus_read("pst-extractor__pstextractortest@outlook.com.ost", &rr);
	cr_assert_eq(rr.appts.n, 169);
	run(&rr.appts, NULL, &r);
	cr_assert_eq(r.ngroups, 0);
	cr_assert_eq(r.kept, 169);
	dedup_result_free(&r);
	reader_result_free(&rr);
}
