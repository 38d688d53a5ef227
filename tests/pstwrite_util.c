/* pstwrite_util.c: helpers shared by the pstwrite test programs
 * (test_pstwrite*.c), moved out of test_pstwrite.c. */
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
#include "pstwrite_util.h"

void
tmp_make(struct tmp *t)
{
	snprintf(t->dir, sizeof t->dir, "/tmp/test_pstwrite.XXXXXX");
	cr_assert_not_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof t->path, "%s/t.pst", t->dir);
}

int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	return remove(p);
}

void
tmp_free(struct tmp *t)
{
	nftw(t->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

struct pstw *
open_w(const char *path)
{
	struct pstw	*w = NULL;
	char		*cause = NULL;

	cr_assert_eq(pstw_open(path, "Test store", &w, &cause), 0, "%s",
	    cause);
	return w;
}

uint32_t
mkfolder(struct pstw *w, uint32_t parent, const char *name, const char *cls)
{
	uint32_t	 nid = 0;
	char		*cause = NULL;

	cr_assert_eq(pstw_folder(w, parent, name, cls, &nid, &cause), 0,
	    "%s", cause);
	return nid;
}

struct pstw_msg *
appt(const char *subject)
{
	struct pstw_msg	*m = pstw_msg_new("IPM.Appointment");

	pstw_set_str(pstw_msg_props(m), 0x0037, subject);
	return m;
}

uint16_t
sig(uint64_t ib, uint64_t bid)
{
	uint32_t	x = (uint32_t)(ib ^ bid);

	return (uint16_t)((x >> 16) ^ x);
}

void
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
uint64_t
id_get(const struct chk *c, const uint8_t *p)
{
	return c->ansi ? le_get32(p) : le_get64(p);
}

/* Block trailer: cb, wSig, then bid (4) and CRC in ANSI files, CRC and
 * bid (8) in Unicode ones. External blocks are decoded in place after
 * their CRC (over the stored bytes) is checked. */
void
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
void
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
int
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

const uint8_t *
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
const uint8_t *
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
void
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
void
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

void
check_file(const char *path, struct chk *c)
{
	c->ansi = c->crypt = 0;
	check_file_form(path, c);
}

void
chk_free(struct chk *c)
{
	free(c->bbt);
	free(c->nbt);
	free(c->f);
	free(c->used);
}

/* libpff helpers. */

libpff_file_t *
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

void
pff_close(libpff_file_t *f)
{
	libpff_file_close(f, NULL);
	libpff_file_free(&f, NULL);
}

libpff_record_entry_t *
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

char *
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

uint8_t *
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

void
assert_str(libpff_item_t *item, int set, uint32_t id, const char *want)
{
	char	*s = e_str(entry(item, set, id));

	cr_assert_str_eq(s, want);
	free(s);
}

/* Sub-folder by name; the caller frees it. */
libpff_item_t *
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

libpff_item_t *
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

int
nmessages(libpff_item_t *folder)
{
	int	n = -1;

	cr_assert_eq(libpff_folder_get_number_of_sub_messages(folder, &n,
	    NULL), 1);
	return n;
}

libpff_item_t *
message(libpff_item_t *folder, int i)
{
	libpff_item_t	*m = NULL;

	cr_assert_eq(libpff_folder_get_sub_message(folder, i, &m, NULL), 1);
	return m;
}

/* External tools. */

void
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
libpff_file_t *
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
void
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
void
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
int
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
