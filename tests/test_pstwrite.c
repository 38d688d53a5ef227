/* test_pstwrite.c: PSTs written with pstw_* read back with libpff,
 * readpst and pffinfo, plus a structural check of every page and block. */

#include <sys/stat.h>
#include <sys/wait.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <libpff.h>

#include "le.h"
#include "pstwrite.h"
#include "pst/crc.h"
#include "pst/crypt.h"
#include "testutil.h"

#define FT_BASE	132000000000000000LL	/* 2019-04-17 */

struct tmp {
	char	dir[64];
	char	path[128];
};

static void
tmp_make(struct tmp *t)
{
	snprintf(t->dir, sizeof t->dir, "/tmp/test_pstwrite.XXXXXX");
	cr_assert_not_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof t->path, "%s/t.pst", t->dir);
}

static int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	return remove(p);
}

static void
tmp_free(struct tmp *t)
{
	nftw(t->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static struct pstw *
open_w(const char *path)
{
	struct pstw	*w = NULL;
	char		*cause = NULL;

	cr_assert_eq(pstw_open(path, "Test store", &w, &cause), 0, "%s",
	    cause);
	return w;
}

static uint32_t
mkfolder(struct pstw *w, uint32_t parent, const char *name, const char *cls)
{
	uint32_t	 nid = 0;
	char		*cause = NULL;

	cr_assert_eq(pstw_folder(w, parent, name, cls, &nid, &cause), 0,
	    "%s", cause);
	return nid;
}

static struct pstw_msg *
appt(const char *subject)
{
	struct pstw_msg	*m = pstw_msg_new("IPM.Appointment");

	pstw_set_str(pstw_msg_props(m), 0x0037, subject);
	return m;
}

/* Structural check, independent of the readers (which skip most CRCs). */

/* Offsets from MS-PST written out here, not taken from pst/format.h,
 * so the check does not share the writer's mistakes. */
struct chk {
	int		 ansi;		/* set before check_file_form() */
	int		 crypt;
	int		 nxblock;	/* internal blocks by kind */
	int		 nxxblock;
	int		 nslblock;
	int		 nsiblock;
	uint8_t		*f;
	size_t		 len;
	uint8_t		*used;		/* 1 per 64-byte slot reached */
	size_t		 nbbt;
	size_t		 nnbt;
	int		 bbtdepth;
	int		 nbtdepth;
	int		 nfmap;
	uint64_t	*bbt;		/* bid, ib, cb triples in BID order */
	uint32_t	*nbt;		/* nid, bidData low, high */
	int		 npc;
	int		 ntc;
};

static uint16_t
sig(uint64_t ib, uint64_t bid)
{
	uint32_t	x = (uint32_t)(ib ^ bid);

	return (uint16_t)((x >> 16) ^ x);
}

static void
mark(struct chk *c, uint64_t off, uint64_t size)
{
	uint64_t	s;

	cr_assert_geq(off, 0x4400);
	cr_assert_leq(off + size, c->len);
	/* Nothing may straddle a region. */
	cr_assert_eq((off - 0x4400) / 0x3E000, (off + size - 1 - 0x4400) /
	    0x3E000, "allocation at 0x%llx crosses a region",
	    (unsigned long long)off);
	for (s = (off - 0x4400) / 64; s < (off + size - 0x4400 + 63) / 64;
	    s++) {
		cr_assert_eq(c->used[s], 0, "overlap at 0x%llx",
		    (unsigned long long)off);
		c->used[s] = 1;
	}
}

/* An ID of 4 (ANSI) or 8 bytes. */
static uint64_t
id_get(const struct chk *c, const uint8_t *p)
{
	return c->ansi ? le_get32(p) : le_get64(p);
}

/* Block trailer: cb, wSig, then bid (4) and CRC in ANSI files, CRC and
 * bid (8) in Unicode ones. External blocks are decoded in place after
 * their CRC (over the stored bytes) is checked. */
static void
check_block(struct chk *c, uint64_t bid, uint64_t ib, uint16_t cb)
{
	size_t		 tl = c->ansi ? 12 : 16;
	size_t		 sz = (cb + tl + 63) & ~(size_t)63;
	const uint8_t	*t;
	uint8_t		*b = c->f + ib;

	cr_assert_leq(sz, 8192);
	cr_assert_eq(ib % 64, 0);
	mark(c, ib, sz);
	t = b + sz - tl;
	cr_assert_eq(le_get16(t), cb);
	cr_assert_eq(le_get16(t + 2), sig(ib, bid));
	if (c->ansi) {
		cr_assert_eq(le_get32(t + 4), bid);
		cr_assert_eq(le_get32(t + 8), pst_crc32(0, b, cb));
	} else {
		cr_assert_eq(le_get32(t + 4), pst_crc32(0, b, cb));
		cr_assert_eq(le_get64(t + 8), bid);
	}
	if (bid & 2) {
		cr_assert_geq(cb, 8);
		if (b[0] == 0x01 && b[1] == 1)
			c->nxblock++;
		else if (b[0] == 0x01 && b[1] == 2)
			c->nxxblock++;
		else if (b[0] == 0x02 && b[1] == 0)
			c->nslblock++;
		else if (b[0] == 0x02 && b[1] == 1)
			c->nsiblock++;
		else
			cr_assert_fail("internal block 0x%llx: btype %u "
			    "level %u",
			    (unsigned long long)bid, b[0], b[1]);
	} else if (c->crypt == 1)
		pst_permute_decode(b, cb);
	else if (c->crypt == 2)
		pst_cyclic(b, cb, (uint32_t)bid);
}

/* Page trailer at 500 (ANSI: bid 4, CRC over 500) or 496 (Unicode:
 * CRC over 496, bid 8). */
static void
check_ptrailer(const struct chk *c, const uint8_t *pg, uint8_t ptype,
    uint16_t wsig, uint64_t bid)
{
	const uint8_t	*t = pg + (c->ansi ? 500 : 496);

	cr_assert_eq(t[0], ptype);
	cr_assert_eq(t[1], ptype);
	cr_assert_eq(le_get16(t + 2), wsig);
	if (c->ansi) {
		cr_assert_eq(le_get32(t + 4), bid);
		cr_assert_eq(le_get32(t + 8), pst_crc32(0, pg, 500));
	} else {
		cr_assert_eq(le_get32(t + 4), pst_crc32(0, pg, 496));
		cr_assert_eq(le_get64(t + 8), bid);
	}
}

/* Walk one B-tree; returns its depth. prev is the last key seen. */
static int
check_bt(struct chk *c, int nbt, uint64_t bid, uint64_t ib, uint64_t *prev,
    uint64_t firstkey, int haskey)
{
	const uint8_t	*pg = c->f + ib, *e, *ft;
	uint8_t		 ptype = nbt ? 0x81 : 0x80;
	int		 n, cb, level, i, depth = 0;
	uint64_t	 key;
	size_t		 w = c->ansi ? 4 : 8;

	cr_assert_eq(ib % 512, 0);
	mark(c, ib, 512);
	check_ptrailer(c, pg, ptype, sig(ib, bid), bid);
	/* cEnt, cEntMax, cbEnt, cLevel after the entries. */
	ft = pg + (c->ansi ? 496 : 488);
	n = ft[0];
	cb = ft[2];
	level = ft[3];
	cr_assert_leq(n, ft[1]);
	cr_assert_eq(ft[1], (c->ansi ? 496 : 488) / cb);
	cr_assert_eq(cb, level > 0 ? 3 * w : nbt ? 4 * w : 2 * w + 4 +
	    (c->ansi ? 0 : 4));
	for (i = 0; i < n; i++) {
		e = pg + i * cb;
		key = id_get(c, e);
		if (i == 0 && haskey)
			cr_assert_eq(key, firstkey);
		if (level > 0) {
			depth = check_bt(c, nbt, id_get(c, e + w),
			    id_get(c, e + 2 * w), prev, key, 1);
			continue;
		}
		cr_assert_gt(key, *prev, "keys out of order");
		*prev = key;
		if (nbt) {
			c->nbt = realloc(c->nbt, (c->nnbt + 1) * 3 *
			    sizeof *c->nbt);
			c->nbt[c->nnbt * 3] = key;
			c->nbt[c->nnbt * 3 + 1] = (uint32_t)id_get(c, e + w);
			c->nbt[c->nnbt * 3 + 2] = id_get(c, e + w) >> 32;
			c->nnbt++;
		} else {
			c->bbt = realloc(c->bbt, (c->nbbt + 1) * 3 *
			    sizeof *c->bbt);
			c->bbt[c->nbbt * 3] = key;
			c->bbt[c->nbbt * 3 + 1] = id_get(c, e + w);
			c->bbt[c->nbbt * 3 + 2] = le_get16(e + 2 * w);
			c->nbbt++;
			check_block(c, key, id_get(c, e + w),
			    le_get16(e + 2 * w));
		}
	}
	return depth + 1;
}

static const uint8_t *
block_of(struct chk *c, uint64_t bid, size_t *cb)
{
	size_t	lo = 0, hi = c->nbbt, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (c->bbt[mid * 3] == bid) {
			*cb = c->bbt[mid * 3 + 2];
			return c->f + c->bbt[mid * 3 + 1];
		}
		if (c->bbt[mid * 3] < bid)
			lo = mid + 1;
		else
			hi = mid;
	}
	cr_assert_fail("BID 0x%llx not in the BBT", (unsigned long long)bid);
	return NULL;
}

/* The allocation hid of a one-block heap, and its size. */
static const uint8_t *
heap_item(const uint8_t *b, size_t cb, uint32_t hid, size_t *len)
{
	uint16_t	pm = le_get16(b), n = le_get16(b + pm);
	uint16_t	i = (hid >> 5) - 1;
	uint16_t	start, end;

	cr_assert_eq(hid >> 16, 0);
	cr_assert_lt(i, n);
	cr_assert_leq(pm + 4 + 2 * (n + 1), cb);
	start = le_get16(b + pm + 4 + 2 * i);
	end = le_get16(b + pm + 6 + 2 * i);
	cr_assert_leq(start, end);
	cr_assert_leq(end, pm);
	*len = end - start;
	return b + start;
}

/* Heap layout of every single-block PC and TC (T4) and the key order
 * of its BTH (T8). */
static void
check_heaps(struct chk *c)
{
	const uint8_t	*b, *bth, *info, *leaf;
	size_t		 i, cb, len, k, rs;
	uint64_t	 bid;

	for (i = 0; i < c->nnbt; i++) {
		bid = c->nbt[i * 3 + 1] | (uint64_t)c->nbt[i * 3 + 2] << 32;
		if (bid == 0 || (bid & 2) != 0)
			continue;
		b = block_of(c, bid, &cb);
		cr_assert_eq(b[2], 0xEC);
		cr_assert(b[3] == 0xBC || b[3] == 0x7C);
		bth = heap_item(b, cb, 0x20, &len);
		cr_assert_eq(len, 8);
		cr_assert_eq(bth[0], 0xB5);
		if (b[3] == 0xBC) {
			c->npc++;
			cr_assert_eq(le_get32(b + 4), 0x20);
			cr_assert_eq(bth[1], 2);
			cr_assert_eq(bth[2], 6);
			rs = 8;
		} else {
			c->ntc++;
			cr_assert_eq(le_get32(b + 4), 0x40);
			info = heap_item(b, cb, 0x40, &len);
			cr_assert_eq(info[0], 0x7C);
			cr_assert_eq(len, 22 + 8 * (size_t)info[1]);
			cr_assert_eq(le_get32(info + 10), 0x20);
			cr_assert_eq(bth[1], 4);
			cr_assert_eq(bth[2], c->ansi ? 2 : 4);
			rs = c->ansi ? 6 : 8;
		}
		if (bth[3] != 0 || le_get32(bth + 4) == 0 ||
		    le_get32(bth + 4) >> 16)
			continue;
		leaf = heap_item(b, cb, le_get32(bth + 4), &len);
		cr_assert_eq(len % rs, 0);
		for (k = 1; k < len / rs; k++)
			cr_assert_lt(bth[1] == 2 ?
			    le_get16(leaf + (k - 1) * rs) :
			    le_get32(leaf + (k - 1) * rs), bth[1] == 2 ?
			    le_get16(leaf + k * rs) : le_get32(leaf + k * rs));
	}
}

/* Check a file of the form c->ansi and c->crypt name. */
static void
check_file_form(const char *path, struct chk *c)
{
	FILE		*fp = fopen(path, "rb");
	uint8_t		*h, *root;
	uint64_t	 eof, prev, r, nreg, s, freebits = 0;
	const uint8_t	*am;
	int		 maps, ansi = c->ansi, crypt = c->crypt;
	size_t		 w, mo;

	memset(c, 0, sizeof *c);
	c->ansi = ansi;
	c->crypt = crypt;
	w = ansi ? 4 : 8;
	mo = ansi ? 4 : 0;	/* map bits follow 4 bytes of ANSI padding */
	cr_assert_not_null(fp);
	fseek(fp, 0, SEEK_END);
	c->len = ftell(fp);
	rewind(fp);
	c->f = malloc(c->len);
	cr_assert_eq(fread(c->f, 1, c->len, fp), c->len);
	fclose(fp);
	h = c->f;
	cr_assert_eq(memcmp(h, "!BDN", 4), 0);
	cr_assert_eq(le_get32(h + 4), pst_crc32(0, h + 8, 471));
	if (ansi) {
		/* MS-PST 2.2.2.6: 32-bit ids, ROOT at 164, no full CRC. */
		cr_assert_eq(le_get16(h + 10), 14);
		cr_assert_eq(h[461], crypt);
		cr_assert_eq(h[460], 0x80);
		root = h + 164;
	} else {
		cr_assert_eq(le_get32(h + 524), pst_crc32(0, h + 8, 516));
		cr_assert_eq(le_get16(h + 10), 23);
		cr_assert_eq(h[513], crypt);
		cr_assert_eq(h[512], 0x80);
		root = h + 180;
	}
	eof = id_get(c, root + 4);
	cr_assert_eq(eof, c->len);
	cr_assert_eq((eof - 0x4400) % 0x3E000, 0);
	nreg = (eof - 0x4400) / 0x3E000;
	cr_assert_eq(id_get(c, root + 4 + w), 0x4400 + (nreg - 1) * 0x3E000);
	cr_assert_eq(root[4 + 8 * w], 2);	/* fAMapValid */
	/* DList. */
	check_ptrailer(c, c->f + 0x4200, 0x86, sig(0x4200, id_get(c,
	    c->f + 0x4200 + 504)), id_get(c, c->f + 0x4200 +
	    504));

	c->used = calloc((eof - 0x4400) / 64, 1);
	for (r = 0; r < nreg; r++) {
		maps = 1 + (r % 8 == 0) + ((r >= 128 && (r - 128) % 496 == 0) ||
		    (r >= 8192 && (r - 8192) % 31744 == 0));
		mark(c, 0x4400 + r * 0x3E000, maps * 512);
	}
	/* ROOT: BREFNBT then BREFBBT after four offsets/sizes. */
	prev = 0;
	c->bbtdepth = check_bt(c, 0, id_get(c, root + 4 + 6 * w),
	    id_get(c, root + 4 + 7 * w), &prev, 0, 0);
	prev = 0;
	c->nbtdepth = check_bt(c, 1, id_get(c, root + 4 + 4 * w),
	    id_get(c, root + 4 + 5 * w), &prev, 0, 0);
	/* bidNextB above every block. */
	cr_assert_gt(ansi ? le_get32(h + 24) : le_get64(h + 516),
	    c->bbt[(c->nbbt - 1) * 3]);
	check_heaps(c);

	/* Every AMap bit matches what is reachable; cbAMapFree adds up. */
	for (r = 0; r < nreg; r++) {
		am = c->f + 0x4400 + r * 0x3E000;
		check_ptrailer(c, am, 0x84, 0, 0x4400 + r * 0x3E000);
		if (ansi)
			cr_assert_eq(le_get32(am), 0);
		am += mo;
		for (s = 0; s < 3968; s++) {
			int bit = (am[s / 8] & (0x80 >> (s % 8))) != 0;

			cr_assert_eq(bit, c->used[r * 3968 + s],
			    "AMap %llu slot %llu", (unsigned long long)r,
			    (unsigned long long)s);
			freebits += !bit;
		}
	}
	cr_assert_eq(id_get(c, root + 4 + 2 * w), freebits * 64);

	/* FMaps: the longest free run of each of the next 496 AMaps. */
	for (r = 128; r < nreg; r += 496) {
		const uint8_t	*fm = c->f + 0x4400 + r * 0x3E000 + 1024;
		uint64_t	 a, run, best;

		c->nfmap++;
		check_ptrailer(c, fm, 0x82, 0, 0x4400 + r * 0x3E000 + 1024);
		fm += mo;
		for (a = r; a < r + 496 && a < nreg; a++) {
			am = c->f + 0x4400 + a * 0x3E000 + mo;
			run = best = 0;
			for (s = 0; s < 3968; s++) {
				run = am[s / 8] & (0x80 >> (s % 8)) ? 0 :
				    run + 1;
				best = run > best ? run : best;
			}
			cr_assert_eq(fm[a - r], best > 255 ? 255 : best);
		}
	}
}

static void
check_file(const char *path, struct chk *c)
{
	c->ansi = c->crypt = 0;
	check_file_form(path, c);
}

static void
chk_free(struct chk *c)
{
	free(c->bbt);
	free(c->nbt);
	free(c->f);
	free(c->used);
}

/* libpff helpers. */

static libpff_file_t *
pff_open(const char *path)
{
	libpff_file_t	*f = NULL;
	libpff_error_t	*err = NULL;
	char		 buf[2048];

	cr_assert_eq(libpff_file_initialize(&f, NULL), 1);
	if (libpff_file_open(f, path, LIBPFF_OPEN_READ, &err) != 1) {
		libpff_error_backtrace_sprint(err, buf, sizeof buf);
		cr_assert_fail("libpff: %s", buf);
	}
	return f;
}

static void
pff_close(libpff_file_t *f)
{
	libpff_file_close(f, NULL);
	libpff_file_free(&f, NULL);
}

static libpff_record_entry_t *
entry(libpff_item_t *item, int set, uint32_t id)
{
	libpff_record_set_t	*rs = NULL;
	libpff_record_entry_t	*e = NULL;

	if (libpff_item_get_record_set_by_index(item, set, &rs, NULL) != 1)
		return NULL;
	if (libpff_record_set_get_entry_by_type(rs, id, 0, &e,
	    LIBPFF_ENTRY_VALUE_FLAG_MATCH_ANY_VALUE_TYPE |
	    LIBPFF_ENTRY_VALUE_FLAG_IGNORE_NAME_TO_ID_MAP, NULL) != 1)
		e = NULL;
	libpff_record_set_free(&rs, NULL);
	return e;
}

/* A named property matched by GUID and LID, or by string name. */
static libpff_record_entry_t *
named(libpff_item_t *item, const uint8_t *guid, uint32_t lid,
    const char *name)
{
	libpff_record_set_t		*rs = NULL;
	libpff_record_entry_t		*e = NULL;
	libpff_name_to_id_map_entry_t	*nm = NULL;
	int				 i, n = 0;
	uint8_t				 t, g[16];
	uint32_t			 l;
	char				 s[256];

	cr_assert_eq(libpff_item_get_record_set_by_index(item, 0, &rs, NULL),
	    1);
	libpff_record_set_get_number_of_entries(rs, &n, NULL);
	for (i = 0; i < n; i++) {
		e = NULL;
		nm = NULL;
		libpff_record_set_get_entry_by_index(rs, i, &e, NULL);
		if (libpff_record_entry_get_name_to_id_map_entry(e, &nm,
		    NULL) != 1)
			continue;
		libpff_name_to_id_map_entry_get_type(nm, &t, NULL);
		if (name != NULL) {
			if (t == LIBPFF_NAME_TO_ID_MAP_ENTRY_TYPE_STRING &&
			    libpff_name_to_id_map_entry_get_utf8_string(nm,
			    (uint8_t *)s, sizeof s, NULL) == 1 &&
			    strcmp(s, name) == 0)
				break;
			continue;
		}
		libpff_name_to_id_map_entry_get_guid(nm, g, 16, NULL);
		if (t == LIBPFF_NAME_TO_ID_MAP_ENTRY_TYPE_NUMERIC &&
		    libpff_name_to_id_map_entry_get_number(nm, &l, NULL) == 1 &&
		    l == lid && memcmp(g, guid, 16) == 0)
			break;
	}
	libpff_record_set_free(&rs, NULL);
	return i < n ? e : NULL;
}

static char *
e_str(libpff_record_entry_t *e)
{
	size_t	 n = 0;
	char	*s;

	cr_assert_not_null(e);
	cr_assert_eq(libpff_record_entry_get_data_as_utf8_string_size(e, &n,
	    NULL), 1);
	s = malloc(n + 1);
	cr_assert_eq(libpff_record_entry_get_data_as_utf8_string(e,
	    (uint8_t *)s, n, NULL), 1);
	return s;
}

static uint8_t *
e_data(libpff_record_entry_t *e, size_t *len)
{
	uint8_t	*d;

	cr_assert_not_null(e);
	cr_assert_eq(libpff_record_entry_get_data_size(e, len, NULL), 1);
	d = malloc(*len + 1);
	if (*len > 0)
		cr_assert_eq(libpff_record_entry_get_data(e, d, *len, NULL),
		    1);
	return d;
}

static uint32_t
e_i4(libpff_record_entry_t *e)
{
	uint32_t	v = 0;

	cr_assert_not_null(e);
	cr_assert_eq(libpff_record_entry_get_data_as_32bit_integer(e, &v,
	    NULL), 1);
	return v;
}

static void
assert_str(libpff_item_t *item, int set, uint32_t id, const char *want)
{
	char	*s = e_str(entry(item, set, id));

	cr_assert_str_eq(s, want);
	free(s);
}

/* Sub-folder by name; the caller frees it. */
static libpff_item_t *
subfolder(libpff_item_t *parent, const char *name)
{
	libpff_item_t	*sub = NULL;
	int		 i, n = 0;
	size_t		 sz;
	char		 buf[256];

	cr_assert_eq(libpff_folder_get_number_of_sub_folders(parent, &n,
	    NULL), 1);
	for (i = 0; i < n; i++) {
		sub = NULL;
		cr_assert_eq(libpff_folder_get_sub_folder(parent, i, &sub,
		    NULL), 1);
		sz = 0;
		if (libpff_folder_get_utf8_name_size(sub, &sz, NULL) == 1 &&
		    sz > 0 && sz <= sizeof buf &&
		    libpff_folder_get_utf8_name(sub, (uint8_t *)buf, sz,
		    NULL) == 1 && strcmp(buf, name) == 0)
			return sub;
		libpff_item_free(&sub, NULL);
	}
	cr_assert_fail("no folder %s", name);
	return NULL;
}

static libpff_item_t *
folder_path(libpff_file_t *f, const char *a, const char *b)
{
	libpff_item_t	*root = NULL, *x, *y;

	cr_assert_eq(libpff_file_get_root_folder(f, &root, NULL), 1);
	x = subfolder(root, "Top of Personal Folders");
	libpff_item_free(&root, NULL);
	y = subfolder(x, a);
	libpff_item_free(&x, NULL);
	if (b == NULL)
		return y;
	x = subfolder(y, b);
	libpff_item_free(&y, NULL);
	return x;
}

static int
nmessages(libpff_item_t *folder)
{
	int	n = -1;

	cr_assert_eq(libpff_folder_get_number_of_sub_messages(folder, &n,
	    NULL), 1);
	return n;
}

static libpff_item_t *
message(libpff_item_t *folder, int i)
{
	libpff_item_t	*m = NULL;

	cr_assert_eq(libpff_folder_get_sub_message(folder, i, &m, NULL), 1);
	return m;
}

/* External tools. */

static void
check_pffinfo(const char *path)
{
	const char	*pffinfo = getenv("PFFINFO");
	char		 cmd[1024];
	int		 st;

	if (pffinfo == NULL || *pffinfo == '\0')
		return;
	snprintf(cmd, sizeof cmd, "'%s' '%s' >/dev/null 2>&1", pffinfo, path);
	st = system(cmd);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "pffinfo failed");
}

/* Close w; its file passes the structural check and pffinfo; open with
 * libpff, with its Calendar folder in *cal and that folder's first
 * message in *msg. */
static libpff_file_t *
close_and_open(struct pstw *w, const char *path, libpff_item_t **cal,
    libpff_item_t **msg)
{
	struct chk	 c;
	libpff_file_t	*f;

	tu_pstw_close(w);
	check_file(path, &c);
	chk_free(&c);
	check_pffinfo(path);
	f = pff_open(path);
	*cal = folder_path(f, "Calendar", NULL);
	*msg = message(*cal, 0);
	return f;
}

/* n attachments file000.txt, file001.txt, ... holding their names. */
static void
add_files(struct pstw_msg *m, size_t n)
{
	struct pstw_attach	*a;
	char			 name[64];
	size_t			 i;

	for (i = 0; i < n; i++) {
		a = pstw_msg_attach(m);
		snprintf(name, sizeof name, "file%03zu.txt", i);
		pstw_set_str(pstw_attach_props(a), 0x3707, name);
		pstw_attach_data(a, name, strlen(name));
	}
}

/* Every step-th of the n attachments add_files() made, read back. */
static void
check_files(libpff_item_t *msg, size_t n, size_t step)
{
	libpff_item_t	*att;
	char		 name[64];
	uint8_t		 buf[16];
	size_t		 i;

	for (i = 0; i < n; i += step) {
		att = NULL;
		cr_assert_eq(libpff_message_get_attachment(msg, (int)i, &att,
		    NULL), 1);
		snprintf(name, sizeof name, "file%03zu.txt", i);
		assert_str(att, 0, 0x3707, name);
		cr_assert_eq(libpff_attachment_data_read_buffer(att, buf, 11,
		    NULL), 11);
		cr_assert_eq(memcmp(buf, name, 11), 0);
		libpff_item_free(&att, NULL);
	}
}

/* Run readpst -t type (a: appointments, e: mail) into a new directory
 * and scan all it wrote: *found counts lines starting with want, the
 * result lines starting with item. -1 when READPST is not set. */
static int
readpst_scan(struct tmp *t, const char *type, const char *item,
    const char *want, int *found)
{
	const char	*readpst = getenv("READPST");
	char		 cmd[1024], line[4096];
	FILE		*fp;
	int		 n = 0;

	if (readpst == NULL || *readpst == '\0')
		return -1;
	snprintf(cmd, sizeof cmd, "mkdir '%s/rp%s' && '%s' -q -t %s -o "
	    "'%s/rp%s' '%s' >/dev/null 2>&1 && cat '%s'/rp%s/*", t->dir, type,
	    readpst, type, t->dir, type, t->path, t->dir, type);
	fp = popen(cmd, "r");
	cr_assert_not_null(fp);
	*found = 0;
	while (fgets(line, sizeof line, fp) != NULL) {
		if (strncmp(line, item, strlen(item)) == 0)
			n++;
		if (strncmp(line, want, strlen(want)) == 0)
			(*found)++;
	}
	cr_assert_eq(pclose(fp), 0);
	return n;
}

Test(pstwrite, crc32)
{
	uint8_t	zero[100] = { 0 };

	/* The MS-PST variant: initial 0, no final XOR. */
	cr_assert_eq(pst_crc32(0, "123456789", 9), 0x2DFD2D88);
	cr_assert_eq(pst_crc32(0, zero, sizeof zero), 0);
	cr_assert_eq(pst_crc32(pst_crc32(0, "1234", 4), "56789", 5),
	    0x2DFD2D88);
}

Test(pstwrite, errors)
{
	struct tmp	 t;
	struct pstw	*w = NULL;
	char		*cause = NULL;
	uint32_t	 nid;

	cr_assert_eq(pstw_open("/nonexistent/dir/x.pst", "x", &w, &cause),
	    -1);
	cr_assert_not_null(strstr(cause, "/nonexistent/dir/x.pst"));
	free(cause);
	cause = NULL;
	tmp_make(&t);
	w = open_w(t.path);
	cr_assert_eq(pstw_folder(w, 0x12345, "x", NULL, &nid, &cause), -1);
	cr_assert_not_null(cause);
	free(cause);
	cause = NULL;
	cr_assert_eq(pstw_msg_write(w, 0x999, appt("lost"), NULL, &cause), -1);
	cr_assert_not_null(cause);
	free(cause);
	pstw_abort(w);
	cr_assert_neq(access(t.path, F_OK), 0);
	tmp_free(&t);
}

/* Nested calendars, an Inbox with mail, named properties, recipients,
 * a file attachment and an embedded message. */
Test(pstwrite, store_and_folders)
{
	struct tmp		 t;
	struct pstw		*w;
	struct pstw_msg		*m, *e;
	struct pstw_props	*p, *r;
	struct pstw_attach	*a;
	struct chk		 c;
	libpff_file_t		*f;
	libpff_item_t		*cal, *sub, *inbox, *msg, *rc = NULL;
	libpff_item_t		*att = NULL, *emb = NULL;
	libpff_record_entry_t	*en;
	uint32_t		 ical, isub, iinbox;
	uint16_t		 start, kw, busy;
	const char		*cats[] = { "Red", "Blue category" };
	uint64_t		 ft = 0;
	uint8_t			 buf[64], *d;
	size_t			 len;
	int			 n = 0, found;
	char			*s;

	tmp_make(&t);
	w = open_w(t.path);
	ical = mkfolder(w, pstw_ipm_subtree(w), "Calendar", "IPF.Appointment");
	iinbox = mkfolder(w, pstw_ipm_subtree(w), "Inbox", "IPF.Note");
	isub = mkfolder(w, ical, "Holidays", "IPF.Appointment");
	start = pstw_named_lid(w, pstw_psetid_appointment, 0x820D);
	busy = pstw_named_lid(w, pstw_psetid_appointment, 0x8205);
	kw = pstw_named_str(w, pstw_ps_public_strings, "Keywords");
	cr_assert_eq(start, 0x8000);
	cr_assert_eq(pstw_named_lid(w, pstw_psetid_appointment, 0x820D), start);
	/* The same LID in another set is another property. */
	cr_assert_neq(pstw_named_lid(w, pstw_psetid_common, 0x820D), start);

	m = appt("Team sync");
	p = pstw_msg_props(m);
	pstw_set_time(p, start, FT_BASE);
	pstw_set_i4(p, busy, 2);
	pstw_set_mvstr(p, kw, cats, 2);
	pstw_set_str(p, 0x3FF8, "Creator Name");
	pstw_set_bool(p, 0x0E1B, 1);
	r = pstw_msg_recipient(m);
	pstw_set_str(r, 0x3001, "Alice Example");
	pstw_set_str(r, 0x3003, "alice@example.com");
	pstw_set_str(r, 0x3002, "SMTP");
	pstw_set_i4(r, 0x0C15, 1);
	r = pstw_msg_recipient(m);
	pstw_set_str(r, 0x3001, "Bob");
	pstw_set_str(r, 0x39FE, "bob@example.com");
	pstw_set_i4(r, 0x0C15, 2);
	a = pstw_msg_attach(m);
	pstw_set_str(pstw_attach_props(a), 0x3707, "notes.txt");
	pstw_set_str(pstw_attach_props(a), 0x3704, "notes.txt");
	pstw_attach_data(a, "attachment bytes\n", 17);
	a = pstw_msg_attach(m);
	pstw_set_bool(pstw_attach_props(a), 0x7FFE, 1);
	e = pstw_attach_embed(a, "IPM.OLE.CLASS.{00061055-0000-0000-C000-"
	    "000000000046}");
	pstw_set_str(pstw_msg_props(e), 0x0037, "Exception subject");
	pstw_set_time(pstw_msg_props(e), start, FT_BASE + 864000000000LL);
	r = pstw_msg_recipient(e);
	pstw_set_str(r, 0x3001, "Carol");
	tu_pstw_write(w, ical, m);
	/* readpst skips an appointment without any appointment property. */
	m = appt("New Year");
	pstw_set_time(pstw_msg_props(m), start, FT_BASE);
	tu_pstw_write(w, isub, m);
	m = pstw_msg_new("IPM.Note");
	pstw_set_str(pstw_msg_props(m), 0x0037, "Plain mail");
	/* readpst writes a mail only if it has some mail property. */
	pstw_set_i4(pstw_msg_props(m), 0x0E07, 1);
	pstw_set_str(pstw_msg_props(m), 0x0C1A, "Sender Name");
	tu_pstw_write(w, iinbox, m);
	tu_pstw_close(w);

	check_file(t.path, &c);
	/* PCs: 7 folders, 3 messages, store and name map. TCs: 3 per
	 * folder and 8 templates. */
	cr_assert_eq(c.npc, 7 + 3 + 2);
	cr_assert_eq(c.ntc, 7 * 3 + 8);
	chk_free(&c);
	check_pffinfo(t.path);

	f = pff_open(t.path);
	cal = folder_path(f, "Calendar", NULL);
	assert_str(cal, 0, 0x3613, "IPF.Appointment");
	cr_assert_eq(nmessages(cal), 1);
	sub = folder_path(f, "Calendar", "Holidays");
	cr_assert_eq(nmessages(sub), 1);
	msg = message(sub, 0);
	assert_str(msg, 0, 0x0037, "New Year");
	libpff_item_free(&msg, NULL);
	inbox = folder_path(f, "Inbox", NULL);
	assert_str(inbox, 0, 0x3613, "IPF.Note");
	cr_assert_eq(nmessages(inbox), 1);
	msg = message(inbox, 0);
	assert_str(msg, 0, 0x001A, "IPM.Note");
	assert_str(msg, 0, 0x0037, "Plain mail");
	libpff_item_free(&msg, NULL);

	msg = message(cal, 0);
	assert_str(msg, 0, 0x001A, "IPM.Appointment");
	assert_str(msg, 0, 0x0037, "Team sync");
	assert_str(msg, 0, 0x3FF8, "Creator Name");
	en = named(msg, pstw_psetid_appointment, 0x820D, NULL);
	cr_assert_eq(libpff_record_entry_get_data_as_filetime(en, &ft, NULL),
	    1);
	cr_assert_eq(ft, (uint64_t)FT_BASE);
	cr_assert_eq(e_i4(named(msg, pstw_psetid_appointment, 0x8205, NULL)),
	    2);
	cr_assert_null(named(msg, pstw_psetid_common, 0x820D, NULL));
	en = named(msg, NULL, 0, "Keywords");
	d = e_data(en, &len);
	/* count 2, offsets 12 and 18, "Red", "Blue category" in UTF-16. */
	cr_assert_eq(len, 4 + 8 + 6 + 26);
	cr_assert_eq(le_get32(d), 2);
	cr_assert_eq(le_get32(d + 4), 12);
	cr_assert_eq(le_get32(d + 8), 18);
	cr_assert_eq(memcmp(d + 12, "R\0e\0d\0B\0l\0u\0e\0", 14), 0);
	free(d);

	cr_assert_eq(libpff_message_get_recipients(msg, &rc, NULL), 1);
	cr_assert_eq(libpff_item_get_number_of_record_sets(rc, &n, NULL), 1);
	cr_assert_eq(n, 2);
	assert_str(rc, 0, 0x3001, "Alice Example");
	assert_str(rc, 0, 0x3003, "alice@example.com");
	assert_str(rc, 0, 0x3002, "SMTP");
	cr_assert_eq(e_i4(entry(rc, 0, 0x0C15)), 1);
	assert_str(rc, 1, 0x3001, "Bob");
	/* Not a template column: the recipient table grows one. */
	assert_str(rc, 1, 0x39FE, "bob@example.com");
	cr_assert_eq(e_i4(entry(rc, 1, 0x0C15)), 2);
	libpff_item_free(&rc, NULL);

	cr_assert_eq(libpff_message_get_number_of_attachments(msg, &n, NULL),
	    1);
	cr_assert_eq(n, 2);
	cr_assert_eq(libpff_message_get_attachment(msg, 0, &att, NULL), 1);
	assert_str(att, 0, 0x3707, "notes.txt");
	cr_assert_eq(e_i4(entry(att, 0, 0x3705)), 1);
	cr_assert_eq(libpff_attachment_get_data_size(att, &ft, NULL), 1);
	cr_assert_eq(ft, 17);
	cr_assert_eq(libpff_attachment_data_read_buffer(att, buf, 17, NULL),
	    17);
	cr_assert_eq(memcmp(buf, "attachment bytes\n", 17), 0);
	libpff_item_free(&att, NULL);
	cr_assert_eq(libpff_message_get_attachment(msg, 1, &att, NULL), 1);
	cr_assert_eq(e_i4(entry(att, 0, 0x3705)), 5);
	cr_assert_eq(libpff_attachment_get_item(att, &emb, NULL), 1);
	s = e_str(entry(emb, 0, 0x001A));
	cr_assert_str_eq(s, "IPM.OLE.CLASS.{00061055-0000-0000-C000-"
	    "000000000046}");
	free(s);
	assert_str(emb, 0, 0x0037, "Exception subject");
	en = named(emb, pstw_psetid_appointment, 0x820D, NULL);
	cr_assert_eq(libpff_record_entry_get_data_as_filetime(en, &ft, NULL),
	    1);
	cr_assert_eq(ft, (uint64_t)(FT_BASE + 864000000000LL));
	rc = NULL;
	cr_assert_eq(libpff_message_get_recipients(emb, &rc, NULL), 1);
	assert_str(rc, 0, 0x3001, "Carol");
	libpff_item_free(&rc, NULL);
	libpff_item_free(&emb, NULL);
	libpff_item_free(&att, NULL);
	libpff_item_free(&msg, NULL);
	libpff_item_free(&inbox, NULL);
	libpff_item_free(&sub, NULL);
	libpff_item_free(&cal, NULL);
	pff_close(f);

	n = readpst_scan(&t, "a", "BEGIN:VEVENT", "SUMMARY:Team sync",
	    &found);
	if (n >= 0) {
		/* Two appointments (the mail is not one). */
		cr_assert_eq(n, 2, "readpst: %d events", n);
		cr_assert_eq(found, 1);
		n = readpst_scan(&t, "e", "From ", "Subject: Plain mail",
		    &found);
		cr_assert_eq(n, 1, "readpst: %d mails", n);
		cr_assert_eq(found, 1);
	}
	tmp_free(&t);
}

/* A 100 KB body (XBLOCK) and a 10 MB attachment (XXBLOCK). */
Test(pstwrite, big_values, .timeout = 120)
{
	struct tmp		 t;
	struct pstw		*w;
	struct pstw_msg		*m;
	struct pstw_attach	*a;
	libpff_file_t		*f;
	libpff_item_t		*cal, *msg, *att = NULL;
	uint8_t			*big, *back, *body, *d;
	size_t			 i, blen = 50000, len;
	size_t			 attlen = 10 * 1024 * 1024;
	uint64_t		 sz = 0;
	uint32_t		 ical;
	char			*s;

	tmp_make(&t);
	big = malloc(attlen);
	for (i = 0; i < attlen; i++)
		big[i] = (uint8_t)(i * 2654435761U >> 13);
	body = malloc(blen + 1);
	for (i = 0; i < blen; i++)
		body[i] = 'a' + i % 26;
	body[blen] = '\0';
	w = open_w(t.path);
	ical = mkfolder(w, pstw_ipm_subtree(w), "Calendar", "IPF.Appointment");
	m = appt("Big one");
	pstw_set_str(pstw_msg_props(m), 0x1000, (char *)body);
	a = pstw_msg_attach(m);
	pstw_set_str(pstw_attach_props(a), 0x3707, "big.bin");
	pstw_attach_data(a, big, attlen);
	tu_pstw_write(w, ical, m);
	f = close_and_open(w, t.path, &cal, &msg);
	/* 100,000 bytes of UTF-16: an XBLOCK of 13 blocks. */
	d = e_data(entry(msg, 0, 0x1000), &len);
	cr_assert_eq(len, blen * 2);
	for (i = 0; i < blen; i++)
		cr_assert_eq(le_get16(d + 2 * i), body[i]);
	free(d);
	s = e_str(entry(msg, 0, 0x1000));
	cr_assert_str_eq(s, (char *)body);
	free(s);
	cr_assert_eq(libpff_message_get_attachment(msg, 0, &att, NULL), 1);
	cr_assert_eq(libpff_attachment_get_data_size(att, &sz, NULL), 1);
	cr_assert_eq(sz, attlen);
	back = malloc(attlen);
	cr_assert_eq(libpff_attachment_data_read_buffer(att, back, attlen,
	    NULL), (ssize_t)attlen);
	cr_assert_eq(memcmp(back, big, attlen), 0);
	free(back);
	libpff_item_free(&att, NULL);
	libpff_item_free(&msg, NULL);
	libpff_item_free(&cal, NULL);
	pff_close(f);
	free(big);
	free(body);
	tmp_free(&t);
}

/* Past 32 MB: the first FMap page (region 128). */
Test(pstwrite, fmap, .timeout = 120)
{
	struct tmp		 t;
	struct pstw		*w;
	struct pstw_msg		*m;
	struct pstw_attach	*a;
	struct chk		 c;
	libpff_file_t		*f;
	libpff_item_t		*cal, *msg, *att;
	uint8_t			*big, buf[4];
	size_t			 len = 9 * 1000 * 1000;
	uint64_t		 sz;
	uint32_t		 ical;
	int			 i;

	tmp_make(&t);
	big = malloc(len);
	w = open_w(t.path);
	ical = mkfolder(w, pstw_ipm_subtree(w), "Calendar", "IPF.Appointment");
	for (i = 0; i < 4; i++) {
		memset(big, 'A' + i, len);
		m = appt("Heavy");
		a = pstw_msg_attach(m);
		pstw_attach_data(a, big, len);
		tu_pstw_write(w, ical, m);
	}
	tu_pstw_close(w);
	free(big);
	check_file(t.path, &c);
	cr_assert_gt(c.len, 0x4400 + 128 * 0x3E000);
	cr_assert_eq(c.nfmap, 1);
	chk_free(&c);
	check_pffinfo(t.path);
	f = pff_open(t.path);
	cal = folder_path(f, "Calendar", NULL);
	cr_assert_eq(nmessages(cal), 4);
	msg = message(cal, 3);
	att = NULL;
	cr_assert_eq(libpff_message_get_attachment(msg, 0, &att, NULL), 1);
	cr_assert_eq(libpff_attachment_get_data_size(att, &sz, NULL), 1);
	cr_assert_eq(sz, len);
	cr_assert_eq(libpff_attachment_data_read_buffer(att, buf, 4, NULL), 4);
	cr_assert_eq(memcmp(buf, "DDDD", 4), 0);
	libpff_item_free(&att, NULL);
	libpff_item_free(&msg, NULL);
	libpff_item_free(&cal, NULL);
	pff_close(f);
	tmp_free(&t);
}

/* 600 properties of 200 bytes: a heap of 17 blocks (block 8 starts
 * with an HNBITMAPHDR) and a BTH with an index level (447 records per
 * leaf). Values in blocks 8 and 9 made libpff read garbage until the
 * writer left them empty (see hn_newblock). */
Test(pstwrite, many_properties)
{
	struct tmp	 t;
	struct pstw	*w;
	struct pstw_msg	*m;
	libpff_file_t	*f;
	libpff_item_t	*cal, *msg;
	uint8_t		 v[200], *d;
	size_t		 len;
	uint32_t	 ical;
	int		 i, n = 0;
	libpff_record_set_t *rs = NULL;

	tmp_make(&t);
	w = open_w(t.path);
	ical = mkfolder(w, pstw_ipm_subtree(w), "Calendar", "IPF.Appointment");
	m = appt("Crowded");
	for (i = 0; i < 600; i++) {
		memset(v, i & 0xFF, sizeof v);
		v[0] = i >> 8;
		pstw_set_bin(pstw_msg_props(m), 0x6000 + i, v, sizeof v);
	}
	tu_pstw_write(w, ical, m);
	f = close_and_open(w, t.path, &cal, &msg);
	cr_assert_eq(libpff_item_get_record_set_by_index(msg, 0, &rs, NULL), 1);
	libpff_record_set_get_number_of_entries(rs, &n, NULL);
	libpff_record_set_free(&rs, NULL);
	/* 600, subject, class and the message size. */
	cr_assert_eq(n, 603);
	for (i = 0; i < 600; i += 23) {
		d = e_data(entry(msg, 0, 0x6000 + i), &len);
		cr_assert_eq(len, 200);
		cr_assert_eq(d[0], i >> 8);
		cr_assert_eq(d[199], i & 0xFF);
		free(d);
	}
	libpff_item_free(&msg, NULL);
	libpff_item_free(&cal, NULL);
	pff_close(f);
	tmp_free(&t);
}

/* 5,000 messages in one folder: multi-level NBT/BBT, a contents table
 * whose rows and heap span many blocks. */
Test(pstwrite, five_thousand, .timeout = 120)
{
	struct tmp	 t;
	struct pstw	*w;
	struct pstw_msg	*m;
	struct chk	 c;
	libpff_file_t	*f;
	libpff_item_t	*cal, *msg;
	uint32_t	 ical;
	uint16_t	 start;
	char		 subj[64];
	int		 i, n, found;

	tmp_make(&t);
	w = open_w(t.path);
	ical = mkfolder(w, pstw_ipm_subtree(w), "Calendar", "IPF.Appointment");
	start = pstw_named_lid(w, pstw_psetid_appointment, 0x820D);
	for (i = 0; i < 5000; i++) {
		snprintf(subj, sizeof subj, "Meeting number %d", i);
		m = appt(subj);
		pstw_set_time(pstw_msg_props(m), start, FT_BASE +
		    i * 36000000000LL);
		pstw_set_time(pstw_msg_props(m), 0x3008, FT_BASE);
		tu_pstw_write(w, ical, m);
	}
	tu_pstw_close(w);
	check_file(t.path, &c);
	cr_assert_geq(c.nbtdepth, 2);
	cr_assert_geq(c.bbtdepth, 2);
	/* Messages, 5 folders with 3 tables, store, name map, 8 templates. */
	cr_assert_eq(c.nnbt, 5000 + 4 * 5 + 2 + 8);
	chk_free(&c);
	check_pffinfo(t.path);

	f = pff_open(t.path);
	cal = folder_path(f, "Calendar", NULL);
	cr_assert_eq(nmessages(cal), 5000);
	for (i = 0; i < 5000; i += 1249) {
		msg = message(cal, i);
		snprintf(subj, sizeof subj, "Meeting number %d", i);
		assert_str(msg, 0, 0x0037, subj);
		libpff_item_free(&msg, NULL);
	}
	libpff_item_free(&cal, NULL);
	pff_close(f);

	n = readpst_scan(&t, "a", "BEGIN:VEVENT",
	    "SUMMARY:Meeting number 4999", &found);
	if (n >= 0) {
		cr_assert_eq(n, 5000);
		cr_assert_eq(found, 1);
	}
	tmp_free(&t);
}

/* UTF-16 with a surrogate pair, read back raw (libpff's UTF-8
 * conversion mangles non-BMP characters). */
Test(pstwrite, emoji)
{
	struct tmp	 t;
	struct pstw	*w;
	libpff_file_t	*f;
	libpff_item_t	*cal, *msg;
	uint32_t	 ical;
	uint8_t		*d;
	size_t		 len;
	static const uint8_t want[] = { 'P', 0, 'a', 0, 'r', 0, 't', 0, 'y',
	    0, ' ', 0, 0x3C, 0xD8, 0x89, 0xDF, ' ', 0, 0xE9, 0x00 };

	tmp_make(&t);
	w = open_w(t.path);
	ical = mkfolder(w, pstw_ipm_subtree(w), "Kalender \xC3\xA9",
	    "IPF.Appointment");
	tu_pstw_write(w, ical, appt("Party \xF0\x9F\x8E\x89 \xC3\xA9"));
	tu_pstw_close(w);
	f = pff_open(t.path);
	cal = folder_path(f, "Kalender \xC3\xA9", NULL);
	msg = message(cal, 0);
	d = e_data(entry(msg, 0, 0x0037), &len);
	cr_assert_eq(len, sizeof want);
	cr_assert_eq(memcmp(d, want, len), 0);
	free(d);
	libpff_item_free(&msg, NULL);
	libpff_item_free(&cal, NULL);
	pff_close(f);
	tmp_free(&t);
}

/* 400 attachments (an SIBLOCK over two SLBLOCKs) and 150 recipients
 * (row data in a subnode). */
Test(pstwrite, many_subnodes)
{
	struct tmp		 t;
	struct pstw		*w;
	struct pstw_msg		*m;
	struct pstw_props	*r;
	libpff_file_t		*f;
	libpff_item_t		*cal, *msg, *rc = NULL;
	uint32_t		 ical;
	char			 name[64];
	int			 i, n = 0;

	tmp_make(&t);
	w = open_w(t.path);
	ical = mkfolder(w, pstw_ipm_subtree(w), "Calendar", "IPF.Appointment");
	m = appt("Busy");
	add_files(m, 400);
	for (i = 0; i < 150; i++) {
		r = pstw_msg_recipient(m);
		snprintf(name, sizeof name, "Person %d", i);
		pstw_set_str(r, 0x3001, name);
		pstw_set_i4(r, 0x0C15, 1);
	}
	tu_pstw_write(w, ical, m);
	f = close_and_open(w, t.path, &cal, &msg);
	cr_assert_eq(libpff_message_get_number_of_attachments(msg, &n, NULL),
	    1);
	cr_assert_eq(n, 400);
	check_files(msg, 400, 133);
	cr_assert_eq(libpff_message_get_recipients(msg, &rc, NULL), 1);
	cr_assert_eq(libpff_item_get_number_of_record_sets(rc, &n, NULL), 1);
	cr_assert_eq(n, 150);
	assert_str(rc, 149, 0x3001, "Person 149");
	libpff_item_free(&rc, NULL);
	libpff_item_free(&msg, NULL);
	libpff_item_free(&cal, NULL);
	pff_close(f);
	tmp_free(&t);
}

static void
assert_raw(libpff_item_t *item, uint32_t id, uint32_t type, const void *want,
    size_t wantlen)
{
	libpff_record_entry_t	*e = entry(item, 0, id);
	uint32_t		 vt = 0;
	uint8_t			*d;
	size_t			 len;

	cr_assert_not_null(e, "property 0x%04x missing", id);
	cr_assert_eq(libpff_record_entry_get_value_type(e, &vt, NULL), 1);
	cr_assert_eq(vt, type, "0x%04x: type 0x%x", id, vt);
	d = e_data(e, &len);
	cr_assert_eq(len, wantlen, "0x%04x: %zu bytes", id, len);
	cr_assert_eq(memcmp(d, want, len), 0, "0x%04x: value", id);
	free(d);
}

/* Every property type of the header, stored and read back raw. */
Test(pstwrite, all_types)
{
	struct tmp		 t;
	struct pstw		*w;
	struct pstw_msg		*m;
	struct pstw_props	*p;
	libpff_file_t		*f;
	libpff_item_t		*cal, *msg;
	uint32_t		 ical;
	const char		*mv[] = { "a", "bc" };
	static const uint8_t	 guid[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
	    12, 13, 14, 15, 16 };
	static const uint8_t	 mvi4[] = { 1, 0, 0, 0, 2, 0, 0, 0, 0xFF, 0xFF,
	    0xFF, 0xFF };
	static const uint8_t	 mvbin[] = { 2, 0, 0, 0, 12, 0, 0, 0, 13, 0,
	    0, 0, 0xAA, 0xBB, 0xCC };
	static const uint8_t	 i2[] = { 0xFE, 0xFF }, i4[] = { 0x78, 0x56,
	    0x34, 0x12 }, b1[] = { 1 }, i8[] = { 8, 7, 6, 5, 4, 3, 2, 1 };
	static const uint8_t	 mvstr[] = { 2, 0, 0, 0, 12, 0, 0, 0, 14, 0,
	    0, 0, 'a', 0, 'b', 0, 'c', 0 };
	uint8_t			 big[3581];

	tmp_make(&t);
	w = open_w(t.path);
	ical = mkfolder(w, pstw_ipm_subtree(w), "Calendar", "IPF.Appointment");
	m = appt("Types");
	p = pstw_msg_props(m);
	pstw_set_i2(p, 0x6001, -2);
	pstw_set_i4(p, 0x6002, 0x12345678);
	pstw_set_bool(p, 0x6003, 7);
	pstw_set_i8(p, 0x6004, 0x0102030405060708LL);
	pstw_set_str8(p, 0x6005, "plain");
	pstw_set_str(p, 0x6006, "wide");
	pstw_set_time(p, 0x6007, 0x0102030405060708LL);
	pstw_set_raw(p, 0x6008, PSTW_CLSID, guid, 16);
	pstw_set_bin(p, 0x6009, "\0\1\2", 3);
	pstw_set_raw(p, 0x600A, PSTW_MV_I4, mvi4, sizeof mvi4);
	pstw_set_mvstr(p, 0x600B, mv, 2);
	pstw_set_raw(p, 0x600C, PSTW_MV_BINARY, mvbin, sizeof mvbin);
	/* Replacing a value keeps one property. */
	pstw_set_i4(p, 0x600D, 1);
	pstw_set_str(p, 0x600D, "replaced");
	pstw_set_bin(p, 0x600E, "", 0);
	/* The largest heap item, and the smallest value in a subnode. */
	memset(big, 0x5A, sizeof big);
	big[3579] = 1;
	big[3580] = 2;
	pstw_set_bin(p, 0x600F, big, 3580);
	pstw_set_bin(p, 0x6010, big, 3581);
	tu_pstw_write(w, ical, m);
	tu_pstw_close(w);
	check_pffinfo(t.path);

	f = pff_open(t.path);
	cal = folder_path(f, "Calendar", NULL);
	msg = message(cal, 0);
	assert_raw(msg, 0x6001, PSTW_I2, i2, 2);
	assert_raw(msg, 0x6002, PSTW_I4, i4, 4);
	assert_raw(msg, 0x6003, PSTW_BOOL, b1, 1);
	assert_raw(msg, 0x6004, PSTW_I8, i8, 8);
	assert_raw(msg, 0x6005, PSTW_STRING8, "plain", 5);
	assert_raw(msg, 0x6006, PSTW_UNICODE, "w\0i\0d\0e\0", 8);
	assert_raw(msg, 0x6007, PSTW_SYSTIME, i8, 8);
	assert_raw(msg, 0x6008, PSTW_CLSID, guid, 16);
	assert_raw(msg, 0x6009, PSTW_BINARY, "\0\1\2", 3);
	assert_raw(msg, 0x600A, PSTW_MV_I4, mvi4, sizeof mvi4);
	assert_raw(msg, 0x600B, PSTW_MV_UNICODE, mvstr, sizeof mvstr);
	assert_raw(msg, 0x600C, PSTW_MV_BINARY, mvbin, sizeof mvbin);
	assert_str(msg, 0, 0x600D, "replaced");
	assert_raw(msg, 0x600E, PSTW_BINARY, "", 0);
	assert_raw(msg, 0x600F, PSTW_BINARY, big, 3580);
	assert_raw(msg, 0x6010, PSTW_BINARY, big, 3581);
	libpff_item_free(&msg, NULL);
	libpff_item_free(&cal, NULL);
	pff_close(f);
	tmp_free(&t);
}

/* An embedded message inside an embedded message. */
Test(pstwrite, nested_embed)
{
	struct tmp		 t;
	struct pstw		*w;
	struct pstw_msg		*m, *e1, *e2;
	struct pstw_attach	*a;
	libpff_file_t		*f;
	libpff_item_t		*cal, *msg, *att1 = NULL, *emb1 = NULL;
	libpff_item_t		*att2 = NULL, *emb2 = NULL, *att3 = NULL;
	uint32_t		 ical;
	uint8_t			 buf[8];

	tmp_make(&t);
	w = open_w(t.path);
	ical = mkfolder(w, pstw_ipm_subtree(w), "Calendar", "IPF.Appointment");
	m = appt("Outer");
	e1 = pstw_attach_embed(pstw_msg_attach(m), "IPM.Note");
	pstw_set_str(pstw_msg_props(e1), 0x0037, "Middle");
	a = pstw_msg_attach(e1);
	e2 = pstw_attach_embed(a, "IPM.Appointment");
	pstw_set_str(pstw_msg_props(e2), 0x0037, "Inner");
	pstw_attach_data(pstw_msg_attach(e2), "deep", 4);
	tu_pstw_write(w, ical, m);
	tu_pstw_close(w);

	f = pff_open(t.path);
	cal = folder_path(f, "Calendar", NULL);
	msg = message(cal, 0);
	cr_assert_eq(libpff_message_get_attachment(msg, 0, &att1, NULL), 1);
	cr_assert_eq(libpff_attachment_get_item(att1, &emb1, NULL), 1);
	assert_str(emb1, 0, 0x0037, "Middle");
	cr_assert_eq(libpff_message_get_attachment(emb1, 0, &att2, NULL), 1);
	cr_assert_eq(libpff_attachment_get_item(att2, &emb2, NULL), 1);
	assert_str(emb2, 0, 0x0037, "Inner");
	/* The parent attachment item must outlive the embedded one. */
	cr_assert_eq(libpff_message_get_attachment(emb2, 0, &att3, NULL), 1);
	cr_assert_eq(libpff_attachment_data_read_buffer(att3, buf, 4, NULL), 4);
	cr_assert_eq(memcmp(buf, "deep", 4), 0);
	libpff_item_free(&att3, NULL);
	libpff_item_free(&emb2, NULL);
	libpff_item_free(&att2, NULL);
	libpff_item_free(&emb1, NULL);
	libpff_item_free(&att1, NULL);
	libpff_item_free(&msg, NULL);
	libpff_item_free(&cal, NULL);
	pff_close(f);
	tmp_free(&t);
}

static void
write_small(const char *path)
{
	struct pstw		*w = open_w(path);
	struct pstw_msg		*m;
	uint32_t		 cal;
	int			 i;

	cal = mkfolder(w, pstw_ipm_subtree(w), "Calendar", "IPF.Appointment");
	for (i = 0; i < 30; i++) {
		m = appt("Repeatable");
		pstw_set_time(pstw_msg_props(m), pstw_named_lid(w,
		    pstw_psetid_appointment, 0x820D), FT_BASE + i);
		pstw_set_str(pstw_msg_recipient(m), 0x3001, "Someone");
		tu_pstw_write(w, cal, m);
	}
	tu_pstw_close(w);
}

/* Fixtures are generated at test time: the same calls must give the
 * same bytes. */
Test(pstwrite, repeatable)
{
	struct tmp	 t;
	char		 other[160];
	FILE		*a, *b;
	int		 ca, cb;
	long		 n = 0;

	tmp_make(&t);
	snprintf(other, sizeof other, "%s/u.pst", t.dir);
	write_small(t.path);
	write_small(other);
	a = fopen(t.path, "rb");
	b = fopen(other, "rb");
	cr_assert(a != NULL && b != NULL);
	do {
		ca = getc(a);
		cb = getc(b);
		cr_assert_eq(ca, cb, "files differ at byte %ld", n);
		n++;
	} while (ca != EOF);
	cr_assert_gt(n, 0x4400);
	fclose(a);
	fclose(b);
	tmp_free(&t);
}

/* ---- ANSI files, permute and cyclic encodings ------------------------ */

struct pform {
	int	ansi;
	int	crypt;
	int	natt;		/* past one SLBLOCK: 340 Unicode, 681 ANSI */
	size_t	huge;		/* an attachment needing an XXBLOCK, or 0 */
};

static const struct pform pforms[] = {
	{ 0, 0, 400, 0 }, { 0, 1, 400, 0 }, { 0, 2, 400, 0 },
	{ 1, 0, 700, 0 }, { 1, 1, 700, 0 },
	/* 2043 BIDs of 8180 bytes fit one ANSI XBLOCK: 16.7 MB. */
	{ 1, 2, 700, 17 * 1024 * 1024 }
};

ParameterizedTestParameters(pstwrite, forms)
{
	return cr_make_param_array(struct pform, pforms,
	    sizeof pforms / sizeof pforms[0]);
}

static uint8_t
body_byte(size_t i)
{
	return 'a' + (i * 7 + i / 26) % 26;
}

/* Every structure in the form: header, pages and maps, block trailers
 * and (decoded) heaps checked raw; XBLOCK, XXBLOCK and SIBLOCK present;
 * libpff, pffinfo and readpst read it back. */
ParameterizedTest(const struct pform *pf, pstwrite, forms, .timeout = 120)
{
	struct tmp		 t;
	struct pstw		*w = NULL;
	struct pstw_opts	 o;
	struct pstw_msg		*m;
	struct pstw_attach	*a;
	struct chk		 c;
	libpff_file_t		*f;
	libpff_item_t		*cal, *msg, *att;
	char			*cause = NULL, name[64], *body, *s;
	uint8_t			 blob[3000], *huge = NULL;
	uint32_t		 ical;
	uint16_t		 start;
	size_t			 i, k, len;
	int			 n = 0, found;
	size64_t		 asz = 0;

	tmp_make(&t);
	memset(&o, 0, sizeof o);
	o.ansi = pf->ansi;
	o.crypt = pf->crypt;
	cr_assert_eq(pstw_open_opts(t.path, "Forms", &o, &w, &cause), 0, "%s",
	    cause);
	ical = mkfolder(w, pstw_ipm_subtree(w), "Calendar", "IPF.Appointment");
	start = pstw_named_lid(w, pstw_psetid_appointment, 0x820D);
	m = appt("Big one");
	pstw_set_time(pstw_msg_props(m), start, FT_BASE);
	body = malloc(100 * 1024 + 1);
	for (i = 0; i < 100 * 1024; i++)
		body[i] = body_byte(i);
	body[100 * 1024] = '\0';
	pstw_set_str(pstw_msg_props(m), 0x1000, body);
	/* 20 values of 3000 bytes: a heap over nine blocks. */
	for (i = 0; i < 20; i++) {
		memset(blob, (int)i, sizeof blob);
		pstw_set_bin(pstw_msg_props(m), 0x6750 + i, blob, sizeof blob);
	}
	add_files(m, (size_t)pf->natt);
	if (pf->huge > 0) {
		huge = malloc(pf->huge);
		for (i = 0; i < pf->huge; i++)
			huge[i] = (uint8_t)(i * 13 + i / 8180);
		a = pstw_msg_attach(m);
		pstw_set_str(pstw_attach_props(a), 0x3707, "huge.bin");
		pstw_attach_data(a, huge, pf->huge);
	}
	tu_pstw_write(w, ical, m);
	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof name, "Small %03zu", i);
		m = appt(name);
		pstw_set_time(pstw_msg_props(m), start, FT_BASE +
		    (int64_t)i * 36000000000LL);
		tu_pstw_write(w, ical, m);
	}
	tu_pstw_close(w);

	c.ansi = pf->ansi;
	c.crypt = pf->crypt;
	check_file_form(t.path, &c);
	cr_expect_gt(c.nxblock, 0);
	cr_expect_gt(c.nsiblock, 0, "no SIBLOCK");
	cr_expect_eq(c.nxxblock > 0, pf->huge > 0);
	chk_free(&c);
	check_pffinfo(t.path);

	f = pff_open(t.path);
	cal = folder_path(f, "Calendar", NULL);
	cr_assert_eq(nmessages(cal), 201);
	msg = message(cal, 0);
	assert_str(msg, 0, 0x0037, "Big one");
	s = e_str(entry(msg, 0, 0x1000));
	cr_assert_str_eq(s, body);
	free(s);
	for (i = 0; i < 20; i++) {
		s = (char *)e_data(entry(msg, 0, 0x6750 + i), &len);
		cr_assert_eq(len, sizeof blob);
		for (k = 0; k < len; k++)
			cr_assert_eq((uint8_t)s[k], i);
		free(s);
	}
	cr_assert_eq(libpff_message_get_number_of_attachments(msg, &n, NULL),
	    1);
	cr_assert_eq(n, pf->natt + (pf->huge > 0));
	check_files(msg, (size_t)pf->natt, 97);
	if (pf->huge > 0) {
		att = NULL;
		cr_assert_eq(libpff_message_get_attachment(msg, pf->natt, &att,
		    NULL), 1);
		cr_assert_eq(libpff_attachment_get_data_size(att, &asz, NULL),
		    1);
		cr_assert_eq(asz, pf->huge);
		s = malloc(pf->huge);
		cr_assert_eq(libpff_attachment_data_read_buffer(att,
		    (uint8_t *)s, pf->huge, NULL), (ssize_t)pf->huge);
		cr_assert_eq(memcmp(s, huge, pf->huge), 0);
		free(s);
		libpff_item_free(&att, NULL);
	}
	libpff_item_free(&msg, NULL);
	libpff_item_free(&cal, NULL);
	pff_close(f);

	n = readpst_scan(&t, "a", "BEGIN:VEVENT", "SUMMARY:Small ", &found);
	if (n >= 0) {
		cr_expect_eq(n, 201);
		cr_expect_eq(found, 200);
	}
	free(huge);
	free(body);
	tmp_free(&t);
}

/* ANSI row indexes are 16-bit: a table past 65534 rows is refused
 * before anything is written, not written wrong. */
Test(pstwrite, ansi_row_limit)
{
	struct tmp		 t;
	struct pstw		*w = NULL;
	struct pstw_opts	 o = { 1, PST_CRYPT_NONE };
	struct pstw_msg		*m;
	char			*cause = NULL;
	uint32_t		 ical;
	int			 i;

	tmp_make(&t);
	cr_assert_eq(pstw_open_opts(t.path, "Rows", &o, &w, &cause), 0);
	ical = mkfolder(w, pstw_ipm_subtree(w), "Calendar", "IPF.Appointment");
	m = appt("Crowd");
	for (i = 0; i < 0xFFFF; i++)
		pstw_set_i4(pstw_msg_recipient(m), 0x0C15, 1);
	cr_assert_eq(pstw_msg_write(w, ical, m, NULL, &cause), -1);
	cr_assert_not_null(strstr(cause, "ANSI"), "%s", cause);
	free(cause);
	/* The writer is still usable. */
	tu_pstw_write(w, ical, appt("Fine"));
	tu_pstw_close(w);
	tmp_free(&t);
}
