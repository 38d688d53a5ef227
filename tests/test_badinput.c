/* test_badinput.c: damaged, hostile and extreme input through pstdedup. */
#include <sys/resource.h>
#include <sys/stat.h>

#include <criterion/criterion.h>
#include <libical/ical.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ft.h"
#include "le.h"
#include "pstwrite.h"
#include "testutil.h"
#include "badinput_util.h"

/* --allow-empty writes dir/in.pst's empty calendar on purpose, status 0. */
static void
check_allow_empty(const char *dir)
{
	struct tu_run	 r;

	tu_pstdedup_run(&r, dir, "--force", "--allow-empty", "-o", "o.ics",
	    "-R", "r.json", "in.pst", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(check_ics(dir, "o.ics", NULL), 0);
	tu_run_free(&r);
}

/* ---- damaged files -------------------------------------------------- */

/* Run on dir/t.pst; a failure leaves nothing behind, a success writes
 * a calendar and a report whose counts add up. */
static void
attack(const char *dir, const char *what, size_t off)
{
	struct tu_run	 r;
	struct totals	 t;

	cr_assert_eq(tu_count_entries(dir), 1);
	tu_pstdedup_run(&r, dir, "-q", "-o", "o.ics", "-R", "r.json", "t.pst",
	    NULL);
	check_messages(r.err, "t.pst");
	if (r.status == 65) {
		cr_assert_eq(tu_count_entries(dir), 1,
		    "%s %zu: failed run left files behind", what, off);
		cr_assert_not_null(strstr(r.err, "pstdedup: t.pst: cannot "
		    "read: "), "%s %zu: %s", what, off, r.err);
	} else if (r.status == 1) {
		/* Nothing left to keep: the report, no calendar. */
		cr_assert_eq(tu_count_entries(dir), 2, "%s %zu", what, off);
		check_totals(dir, "r.json", &t);
		cr_assert_eq(t.kept, 0, "%s %zu", what, off);
		cr_assert_not_null(strstr(r.err, "nothing to write"));
	} else {
		cr_assert(r.status == 0 || r.status == 3,
		    "%s %zu: status %d: %s", what, off, r.status, r.err);
		cr_assert_eq(tu_count_entries(dir), 3, "%s %zu", what, off);
		check_totals(dir, "r.json", &t);
		cr_assert_eq(check_ics(dir, "o.ics", NULL) > 0, t.kept > 0,
		    "%s %zu", what, off);
		if (r.status == 0)
			cr_assert_str_empty(r.err);
	}
	tu_run_free(&r);
}

/* The base PST's bytes. */
static uint8_t *
base_pst(size_t *len)
{
	char	*dir, *pst;
	uint8_t	*b;

	dir = tu_tmpdir();
	pst = tu_path(dir, "base.pst");
	tu_mkpst("bad-base.ics", pst);
	b = (uint8_t *)tu_slurp(pst, len);
	cr_assert_not_null(b);
	cr_assert_gt(*len, 17408);
	tu_rmdir(dir);
	free(pst);
	free(dir);
	return b;
}

/* Offset of the last non-zero byte: the writer pads the file. */
static size_t
used_end(const uint8_t *b, size_t len)
{
	while (len > 0 && b[len - 1] == 0)
		len--;
	return len;
}

/* attack() on a t.pst of the len bytes b. */
static void
attack_bytes(const uint8_t *b, size_t len, const char *what, size_t off)
{
	char	*dir, *pst;

	dir = tu_tmpdir();
	pst = tu_path(dir, "t.pst");
	tu_spit(pst, b, len);
	attack(dir, what, off);
	tu_rmdir(dir);
	free(pst);
	free(dir);
}

static void
truncated_at(const uint8_t *b, size_t off)
{
	attack_bytes(b, off, "truncated at", off);
}

Test(badinput, truncated_files)
{
	size_t	 len, end, offs[40], n = 0, i;
	uint8_t	*b;

	tu_pstdedup();
	b = base_pst(&len);
	end = used_end(b, len);
	/* Inside the header, the first AMap (0x4400), the pages and blocks
	 * the writer put after it, the B-tree roots and the last byte. */
	offs[n++] = 0;
	offs[n++] = 4;
	offs[n++] = 200;
	offs[n++] = 511;
	offs[n++] = 513;
	offs[n++] = 17408;
	offs[n++] = 17408 + 256;
	offs[n++] = 17408 + 512;
	for (i = 1; i <= 20; i++)
		offs[n++] = 17920 + (end - 17920) * i / 21;
	offs[n++] = le_get64(b + 224) + 100;	/* NBT root page */
	offs[n++] = le_get64(b + 240) + 100;	/* BBT root page */
	offs[n++] = end - 1;
	offs[n++] = len - 1;
	for (i = 0; i < n; i++) {
		if (offs[i] < len)
			truncated_at(b, offs[i]);
	}
	free(b);
}

static void
flipped_at(const uint8_t *b, size_t len, size_t off)
{
	uint8_t	*c;

	c = malloc(len);
	cr_assert_not_null(c);
	memcpy(c, b, len);
	c[off] ^= 0xFF;
	attack_bytes(c, len, "byte flipped at", off);
	free(c);
}

Test(badinput, header_bit_flips)
{
	size_t	 len, off;
	uint8_t	*b;

	tu_pstdedup();
	b = base_pst(&len);
	/* Every third byte: the CRCs cover the header, so most of these
	 * are refused, and the rest must still read sanely. */
	for (off = 0; off < 512; off += 3)
		flipped_at(b, len, off);
	free(b);
}

Test(badinput, btree_page_bit_flips)
{
	size_t	 len, page, off, k;
	uint8_t	*b;

	tu_pstdedup();
	b = base_pst(&len);
	for (k = 0; k < 2; k++) {
		page = le_get64(b + (k == 0 ? 224 : 240));
		cr_assert_lt(page + 512, len, "B-tree root outside the file");
		for (off = 0; off < 512; off += 11)
			flipped_at(b, len, page + off);
	}
	free(b);
}

Test(badinput, data_block_bit_flips)
{
	size_t	 len, end, i;
	uint8_t	*b;

	tu_pstdedup();
	b = base_pst(&len);
	end = used_end(b, len);
	for (i = 0; i < 120; i++)
		flipped_at(b, len, 17920 + (end - 17920) * i / 120);
	free(b);
}

/* ---- odd but valid stores ------------------------------------------- */

Test(badinput, no_calendar_folder)
{
	struct tu_run	 r;
	struct totals	 t;
	json_t		*json;
	char		*dir, *pst;

	dir = in_pst_dir(&pst);
	tu_mkpst("bad-nocal.ics", pst);
	/* Nothing to write: status 1, the report, no calendar. */
	run_in(&r, dir);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert_not_null(strstr(r.err, "pstdedup: in.pst: 0 items read, "
	    "0 kept, 0 removed"), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "pstdedup: in.pst: no calendar "
	    "folder in this file"), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "pstdedup: in.pst: nothing to "
	    "write: "), "%s", r.err);
	check_totals(dir, "r.json", &t);
	cr_assert_eq(t.read, 0);
	json = report(dir, "r.json");
	cr_assert_eq(tu_json_total(json, "folders"), 0);
	json_decref(json);
	cr_assert_eq(tu_count_entries(dir), 2, "a calendar was written");

	/* --allow-empty: an empty calendar on purpose, status 0. */
	check_allow_empty(dir);
	tu_run_done(&r, dir, pst);
}

Test(badinput, empty_calendar)
{
	struct tu_run	 r;
	struct totals	 t;
	struct pstw	*w;
	uint32_t	 folder;
	char		*dir, *pst;

	dir = in_pst_dir(&pst);
	w = tu_pstw_open(pst, "Bad input", &folder);
	tu_pstw_close(w);
	run_in(&r, dir);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert_not_null(strstr(r.err, "pstdedup: in.pst: 0 items read"),
	    "%s", r.err);
	cr_assert_not_null(strstr(r.err, "nothing to write"), "%s", r.err);
	check_totals(dir, "r.json", &t);
	cr_assert_eq(t.read, 0);
	cr_assert_eq(tu_count_entries(dir), 2, "a calendar was written");
	check_allow_empty(dir);
	tu_run_done(&r, dir, pst);
}

Test(badinput, password_is_ignored_with_a_note)
{
	struct tu_run	 r;
	struct totals	 t;
	char		*dir, *pst;

	tu_pstdedup();
	pst = tu_corpus_file("java-libpst__passworded.pst");
	dir = tu_tmpdir();
	tu_pstdedup_run(&r, dir, "-o", "o.ics", "-R", "r.json", pst, NULL);
	check_messages(r.err, pst);
	cr_assert_not_null(strstr(r.err, "password"), "no note: %s", r.err);
	check_totals(dir, "r.json", &t);
	/* Its calendar is empty: nothing to write, status 1, no file. */
	cr_assert_eq(r.status, t.kept == 0 ? 1 : 0, "%s", r.err);
	if (t.kept == 0)
		cr_assert_eq(tu_count_entries(dir), 1, "%s", r.err);
	else
		cr_assert_eq(check_ics(dir, "o.ics", NULL), t.kept);
	tu_run_done(&r, dir, pst);
}

Test(badinput, ansi_file_with_a_wrong_codepage)
{
	const char	*cps[] = { "1251", "932", "1252", "874" };
	struct tu_run	 r;
	struct totals	 t;
	char		*dir, *pst;
	size_t		 i;

	tu_pstdedup();
	pst = tu_corpus_file("go-pst__32-bit.pst");
	for (i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		dir = tu_tmpdir();
		tu_pstdedup_run(&r, dir, "-c", cps[i], "-o", "o.ics", "-r",
		    "rm.ics", "-R", "r.json", pst, NULL);
		cr_assert_eq(r.status, 0, "-c %s: %s", cps[i], r.err);
		check_messages(r.err, pst);
		check_totals(dir, "r.json", &t);
		cr_assert_gt(t.read, 0);
		cr_assert_eq(check_ics(dir, "o.ics", NULL), t.kept);
		check_ics(dir, "rm.ics", NULL);
		tu_run_free(&r);
		tu_rmdir(dir);
		free(dir);
	}

	dir = tu_tmpdir();
	tu_pstdedup_run(&r, dir, "-c", "65001", "-o", "o.ics", pst, NULL);
	cr_assert_eq(r.status, 64, "%s", r.err);
	/* The synopsis follows the one-line message. */
	cr_assert_eq(strncmp(r.err, "pstdedup: ", 10), 0, "%s", r.err);
	cr_assert(strstr(r.err, "65001") != NULL &&
	    strstr(r.err, "65001") < strchr(r.err, '\n'), "%s", r.err);
	cr_assert_eq(tu_count_entries(dir), 0);
	tu_run_free(&r);
	tu_rmdir(dir);
	free(dir);
	free(pst);
}
