/* test_pstread_damage.c: damaged fixtures and corpus files and
 * flipped checksums give clean errors or reported skips. */
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

static int	open_walk_owned(uint8_t *, size_t, struct pst_walk *, char **);

/*
 * Damage. Each damaged copy lives in a buffer of its exact size, so an
 * over-read is an ASan report; the assertions say what must come out.
 */
static int
open_walk(const uint8_t *buf, size_t len, struct pst_walk *w, char **cause)
{
	uint8_t	*copy = malloc(len ? len : 1);

	memcpy(copy, buf, len);
	return open_walk_owned(copy, len, w, cause);
}

/* Same, over buf (exactly len bytes), which it frees. */
static int
open_walk_owned(uint8_t *copy, size_t len, struct pst_walk *w,
    char **cause)
{
	struct pst	*f;

	memset(w, 0, sizeof *w);
	if (pst_open_mem(copy, len, &f, cause) != 0) {
		free(copy);
		return -1;
	}
	pst_walk(f, w);
	pst_close(f);
	free(copy);
	return 0;
}

static void
damage(const char *label, const uint8_t *buf, size_t len)
{
	struct pst_walk	 good, w;
	size_t		 cut, off, nflip = 0, skipped = 0, failed = 0, same = 0;
	char		*cause = NULL;
	uint32_t	 seed = 12345;
	int		 i;

	cr_assert_eq(open_walk(buf, len, &good, &cause), 0, "%s: %s", label,
	    cause);
	cr_assert_eq(good.errors, 0, "%s: %s", label, good.first_error);
	free(good.first_error);
	/* Truncation: below the header no file, else never a crash. */
	for (cut = 0; cut < len; cut += cut < 1024 ? 61 : 509 + cut / 16) {
		if (open_walk(buf, cut, &w, &cause) != 0) {
			cr_assert(cause != NULL && *cause != '\0');
			free(cause);
			cause = NULL;
		} else {
			cr_assert_geq(cut, 512, "%s: opened at %zu bytes",
			    label, cut);
			free(w.first_error);
		}
	}
	/* Header: every byte the CRCs cover breaks the open. */
	for (off = 8; off < 471 + 8; off += len > (4u << 20) ? 41 : 3) {
		uint8_t *b = malloc(len);

		memcpy(b, buf, len);
		b[off] ^= 0x10;
		cr_assert_eq(open_walk_owned(b, len, &w, &cause), -1,
		    "%s: byte %zu", label, off);
		cr_assert(strstr(cause, "checksum") != NULL ||
		    strstr(cause, "version") != NULL, "%s: %s", label, cause);
		free(cause);
		cause = NULL;
	}
	/* Anywhere else: a clean error, reported skips, or no change. */
	for (i = 0; i < (len > (4u << 20) ? 60 : 400); i++) {
		uint8_t *b = malloc(len);

		seed = seed * 1103515245 + 12345;
		off = 512 + (seed >> 1) % (len - 512);
		memcpy(b, buf, len);
		b[off] ^= (uint8_t)(1 << ((seed >> 24) & 7));
		nflip++;
		if (open_walk_owned(b, len, &w, &cause) != 0) {
			cr_assert(cause != NULL && *cause != '\0');
			free(cause);
			cause = NULL;
			failed++;
		} else if (w.errors > 0) {
			skipped++;
			free(w.first_error);
		} else
			same++;
	}
	fprintf(stderr, "# %s: %zu flips: open failed %zu, items skipped "
	    "%zu, unchanged %zu\n", label, nflip, failed, skipped, same);
	cr_assert_gt(failed + skipped, 0, "%s: no flip was noticed", label);
}

Test(pstread, damaged_fixture)
{
	char	*dir, *pst, *buf;
	size_t	 len;

	pst = fixture("exceptions.ics", &dir);
	buf = tu_slurp(pst, &len);
	cr_assert_not_null(buf);
	damage("exceptions fixture", (uint8_t *)buf, len);
	free(buf);
	tu_rmdir(dir);
	free(dir);
	free(pst);
}

Test(pstread, damaged_corpus)
{
	static const char *names[] = { "go-pst__32-bit.pst",
	    "hughbe-PstReader__simiden_pst2john_2003_high-encryption_"
	    "quickquick.pst",
	    "java-libpst__dist-list.pst",
	    "pst-extractor__pstextractortest@outlook.com.ost" };
	const char	*d = corpus_dir();
	char		*path, *buf;
	size_t		 i, len;

	if (d == NULL)
		cr_skip_test("no corpus");
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		path = tu_path(d, names[i]);
		if ((buf = tu_slurp(path, &len)) != NULL) {
			damage(names[i], (uint8_t *)buf, len);
			free(buf);
		}
		free(path);
	}
}

/* B-tree pages and blocks carry CRCs: a flipped bit inside one is an
 * error naming the checksum, in the open (pages) or the item (blocks). */
Test(pstread, checksums_catch_flips)
{
	struct pst		*f;
	const struct pst_node	*n;
	const struct pst_header	*h;
	struct pst_walk		 w;
	char			*dir, *pst, *buf, *cause = NULL;
	uint8_t			*b;
	size_t			 len;
	uint64_t		 nbt;

	pst = fixture("singles.ics", &dir);
	buf = tu_slurp(pst, &len);
	cr_assert_eq(pst_open_mem(buf, len, &f, &cause), 0, "%s", cause);
	h = pst_header(f);
	nbt = h->root.nbt.ib;
	n = pst_node_find(f, PST_NID_ROOT_FOLDER);
	cr_assert_not_null(n);
	pst_close(f);

	b = malloc(len);
	memcpy(b, buf, len);
	b[nbt + 17] ^= 1;
	cr_assert_eq(open_walk(b, len, &w, &cause), -1);
	cr_assert(strstr(cause, "node B-tree") != NULL &&
	    strstr(cause, "checksum") != NULL, "%s", cause);
	free(cause);
	free(b);
	free(buf);
	tu_rmdir(dir);
	free(dir);
	free(pst);
}

Test(pstread, not_a_pst)
{
	struct pst	*f;
	char		*cause = NULL;
	uint8_t		 junk[2048];

	memset(junk, 'x', sizeof junk);
	cr_assert_eq(pst_open_mem(junk, sizeof junk, &f, &cause), -1);
	cr_assert(strstr(cause, "not a PST") != NULL, "%s", cause);
	free(cause);
	cause = NULL;
	cr_assert_eq(pst_open("/nonexistent/x.pst", 0, &f, &cause), -1);
	cr_assert(strstr(cause, "No such file") != NULL, "%s", cause);
	free(cause);
	cause = NULL;
	cr_assert_eq(pst_open("/", 0, &f, &cause), -1);
	free(cause);
	cause = NULL;
	cr_assert_eq(pst_open_mem(junk, 0, &f, &cause), -1);
	free(cause);
}
