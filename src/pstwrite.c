/* pstwrite.c: write Unicode PST files (MS-PST) from folders and messages. */

#include <sys/types.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pstwrite.h"
#include "le.h"
#include "xmalloc.h"

#define REGION0		0x4400ULL	/* first AMap */
#define REGIONSZ	0x3E000ULL	/* bytes covered by one AMap */
#define SLOTS		3968		/* 64-byte slots per region */
#define PAGESZ		512
#define BLOCKDATA	8176		/* data bytes in the biggest block */
#define HEAPITEM	3580		/* biggest heap allocation */
#define XBIDS		1021		/* BIDs per XBLOCK/XXBLOCK */
#define SLMAX		340		/* entries per SLBLOCK */
#define SIMAX		510		/* entries per SIBLOCK */
#define OUTBUF		(1024 * 1024)
#define NBUCKETS	251

#define NID_STORE	0x21
#define NID_NAMEMAP	0x61
#define NID_ROOT	0x122
#define NID_IPM		0x8022
#define NID_FINDER	0x8042
#define NID_WASTE	0x8062
#define NID_RCPT_TC	0x692
#define NID_ATT_TC	0x671

#define NT_LTP		0x1F
#define NT_ATTACH	0x05
#define NT_MSG		0x04
#define NT_FOLDER	0x02

#define PT_OBJECT	0x000D
#define TAG(id, type)	((uint32_t)(id) << 16 | (type))

const uint8_t pstw_psetid_appointment[16] = { 0x02, 0x20, 0x06, 0x00, 0x00,
	0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46 };
const uint8_t pstw_psetid_meeting[16] = { 0x90, 0xDA, 0xD8, 0x6E, 0x0B, 0x45,
	0x1B, 0x10, 0x98, 0xDA, 0x00, 0xAA, 0x00, 0x3F, 0x13, 0x05 };
const uint8_t pstw_psetid_common[16] = { 0x08, 0x20, 0x06, 0x00, 0x00, 0x00,
	0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46 };
const uint8_t pstw_ps_public_strings[16] = { 0x29, 0x03, 0x02, 0x00, 0x00,
	0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46 };
static const uint8_t ps_mapi[16] = { 0x28, 0x03, 0x02, 0x00, 0x00, 0x00,
	0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46 };
/* Set of the throw-away last name-map entry (trap T3): private to us. */
static const uint8_t ps_pstw[16] = { 0x70, 0x73, 0x74, 0x64, 0x65, 0x64,
	0x75, 0x70, 0x8A, 0x11, 0x5E, 0x7C, 0x3D, 0x2B, 0x90, 0x01 };

struct prop {
	uint16_t	 id;
	uint16_t	 type;
	size_t		 len;
	uint8_t		*data;
};

struct pstw_props {
	struct prop	*v;
	size_t		 n;
	size_t		 cap;
};

struct pstw_attach {
	struct pstw_props	 props;
	uint8_t			*data;
	size_t			 len;
	int			 hasdata;
	struct pstw_msg		*embed;
};

struct pstw_msg {
	struct pstw_props	  props;
	struct pstw_props	**rcpt;
	size_t			  nrcpt;
	struct pstw_attach	**att;
	size_t			  natt;
};

struct bbtent {
	uint64_t	bid;
	uint64_t	ib;
	uint16_t	cb;
	uint16_t	cref;
};

struct nbtent {
	uint32_t	nid;
	uint32_t	parent;
	uint64_t	data;
	uint64_t	sub;
};

struct folder {
	uint32_t	  nid;
	uint32_t	  parent;
	char		 *name;
	char		 *cls;
	uint8_t		**rows;		/* packed contents-table rows */
	uint32_t	 *rownid;
	size_t		  nrows;
	size_t		  caprows;
};

struct named {
	uint16_t	 gidx;		/* 1 PS_MAPI, 2 PS_PUBLIC_STRINGS, 3+ */
	uint32_t	 lid;
	uint8_t		*str;		/* UTF-16LE name, or NULL if numeric */
	size_t		 slen;
};

struct pstw {
	char		 *path;
	int		  fd;
	int		  werr;		/* sticky errno of a failed write */
	char		 *name;
	uint8_t		  uid[16];

	uint8_t		 *buf;		/* output not yet written */
	uint64_t	  bufoff;
	size_t		  buflen;

	uint64_t	  next;		/* next free file offset */
	uint64_t	  region;
	uint8_t		  amap[496];
	uint8_t		 *maxfree;	/* per region, for the FMaps */
	size_t		  capfree;
	uint64_t	  freeslots;

	uint64_t	  nextbid;
	uint64_t	  nextpbid;
	struct bbtent	 *bbt;
	size_t		  nbbt;
	size_t		  capbbt;
	struct nbtent	 *nbt;
	size_t		  nnbt;
	size_t		  capnbt;

	struct folder	 *folders;
	size_t		  nfolders;
	uint32_t	  nextfolder;
	uint32_t	  nextmsg;

	uint8_t		(*guids)[16];
	size_t		  nguids;
	struct named	 *names;
	size_t		  nnames;

	uint64_t	  emptyrcpt;	/* shared empty recipient table */
	size_t		  emptyrcptidx;

	uint8_t		  blk[8192];
};

/* Subnodes collected while building one node (SLENTRYs). */
struct sub {
	uint32_t	nid;
	uint64_t	data;
	uint64_t	sub;
};

struct node {
	struct sub	*v;
	size_t		 n;
	size_t		 cap;
	uint32_t	*ctr;		/* next subnode index (per message) */
};

/* A data tree being written: leaf BIDs and sizes. */
struct dtree {
	uint64_t	*bids;
	uint16_t	*sizes;
	size_t		 n;
	size_t		 cap;
};

struct hblk {
	uint8_t		*d;
	uint16_t	*off;
	size_t		 noff;
	size_t		 capoff;
	size_t		 used;
};

/* A heap-on-node under construction, all blocks in memory. */
struct hn {
	struct hblk	*b;
	size_t		 n;
	size_t		 cap;
	uint8_t		 sig;
	uint8_t		 avoid;		/* block index % 8 to leave empty */
};

struct tcol {
	uint32_t	tag;
	uint16_t	ib;
	uint8_t		cb;
	uint8_t		bit;
};

struct trow {
	uint32_t	 id;
	struct prop	*v;
	size_t		 n;
};

typedef void (*rowfn)(void *, size_t, struct trow *);

static uint32_t	 crc_table[8][256];
static int	 crc_ready;

/* MS-PST table templates (MS-PST 2.4.8). */
static const uint32_t cols_hier[] = { 0x0E300102, 0x0E330014, 0x0E340102,
	0x0E380003, 0x3001001F, 0x36020003, 0x36030003, 0x360A000B, 0x3613001F,
	0x66350003, 0x66360003 };
static const uint32_t cols_contents[] = { 0x00170003, 0x001A001F, 0x00360003,
	0x0037001F, 0x00390040, 0x0042001F, 0x0057000B, 0x0058000B, 0x0070001F,
	0x00710102, 0x0E03001F, 0x0E04001F, 0x0E060040, 0x0E070003, 0x0E080003,
	0x0E170003, 0x0E300102, 0x0E330014, 0x0E340102, 0x0E380003, 0x0E3C0102,
	0x0E3D0102, 0x10970003, 0x30080040, 0x30130102, 0x65C60003 };
static const uint32_t cols_fai[] = { 0x001A001F, 0x0E070003, 0x0E170003,
	0x3001001F, 0x6800001F, 0x6803000B, 0x68051003, 0x682F001F, 0x70030003,
	0x70040102, 0x70050102, 0x7006001F, 0x70070003 };
static const uint32_t cols_search[] = { 0x00170003, 0x001A001F, 0x00360003,
	0x0037001F, 0x0042001F, 0x0057000B, 0x0058000B, 0x0E03001F, 0x0E04001F,
	0x0E05001F, 0x0E060040, 0x0E070003, 0x0E080003, 0x0E170003, 0x0E2A000B,
	0x30080040, 0x67F10003 };
static const uint32_t cols_recvfolder[] = { 0x001A001F, 0x66050003 };
static const uint32_t cols_outqueue[] = { 0x00390040, 0x0E100003,
	0x0E140003 };
static const uint32_t cols_rcpt[] = { 0x0C150003, 0x0E0F000B, 0x0FF90102,
	0x0FFE0003, 0x0FFF0102, 0x3001001F, 0x3002001F, 0x3003001F, 0x300B0102,
	0x39000003, 0x39FF001F, 0x3A40000B, 0x5FF6001F, 0x5FFD0003,
	0x5FFF0003 };
static const uint32_t cols_att[] = { 0x0E200003, 0x3704001F, 0x37050003,
	0x370B0003, 0x7FFA0003, 0x7FFB0040, 0x7FFC0040, 0x7FFD0003,
	0x7FFE000B };

#define NITEMS(a)	(sizeof (a) / sizeof (a)[0])

static void
crc_init(void)
{
	uint32_t	c;
	int		i, j;

	for (i = 0; i < 256; i++) {
		c = i;
		for (j = 0; j < 8; j++)
			c = c & 1 ? 0xEDB88320U ^ (c >> 1) : c >> 1;
		crc_table[0][i] = c;
	}
	for (i = 0; i < 256; i++) {
		c = crc_table[0][i];
		for (j = 1; j < 8; j++) {
			c = crc_table[0][c & 0xFF] ^ (c >> 8);
			crc_table[j][i] = c;
		}
	}
	crc_ready = 1;
}

uint32_t
pstw_crc32(uint32_t crc, const void *data, size_t len)
{
	const uint8_t	*p = data;
	uint32_t	 a, b;

	if (!crc_ready)
		crc_init();
	/* Slicing by 8: the CRC of every block and page is on the hot path. */
	while (len >= 8) {
		a = le_get32(p) ^ crc;
		b = le_get32(p + 4);
		crc = crc_table[7][a & 0xFF] ^ crc_table[6][(a >> 8) & 0xFF] ^
		    crc_table[5][(a >> 16) & 0xFF] ^ crc_table[4][a >> 24] ^
		    crc_table[3][b & 0xFF] ^ crc_table[2][(b >> 8) & 0xFF] ^
		    crc_table[1][(b >> 16) & 0xFF] ^ crc_table[0][b >> 24];
		p += 8;
		len -= 8;
	}
	while (len-- > 0)
		crc = crc_table[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
	return crc;
}

static uint16_t
signature(uint64_t ib, uint64_t bid)
{
	uint32_t	x = (uint32_t)(ib ^ bid);

	return (uint16_t)((x >> 16) ^ x);
}

/* UTF-8 to UTF-16LE without terminator; bad sequences become U+FFFD. */
static uint8_t *
utf16(const char *s, size_t *lenp)
{
	const uint8_t	*p = (const uint8_t *)s;
	size_t		 n = strlen(s), o = 0;
	uint8_t		*out = xmalloc(n * 2 + 2);
	uint32_t	 c;
	int		 more, i;

	while (*p != '\0') {
		c = *p++;
		if (c < 0x80)
			more = 0;
		else if ((c & 0xE0) == 0xC0) {
			c &= 0x1F;
			more = 1;
		} else if ((c & 0xF0) == 0xE0) {
			c &= 0x0F;
			more = 2;
		} else if ((c & 0xF8) == 0xF0) {
			c &= 0x07;
			more = 3;
		} else {
			c = 0xFFFD;
			more = 0;
		}
		for (i = 0; i < more; i++) {
			if ((*p & 0xC0) != 0x80) {
				c = 0xFFFD;
				break;
			}
			c = c << 6 | (*p++ & 0x3F);
		}
		if (c > 0x10FFFF || (c >= 0xD800 && c < 0xE000) ||
		    (more == 1 && c < 0x80) || (more == 2 && c < 0x800) ||
		    (more == 3 && c < 0x10000))
			c = 0xFFFD;
		if (c >= 0x10000) {
			c -= 0x10000;
			le_put16(out + o, 0xD800 | (c >> 10));
			le_put16(out + o + 2, 0xDC00 | (c & 0x3FF));
			o += 4;
		} else {
			le_put16(out + o, c);
			o += 2;
		}
	}
	*lenp = o;
	return out;
}

/* Output: a buffer of consecutive bytes, flushed with pwrite. */

static void
write_at(struct pstw *w, uint64_t off, const void *p, size_t n)
{
	const uint8_t	*b = p;
	ssize_t		 r;

	while (n > 0 && w->werr == 0) {
		r = pwrite(w->fd, b, n, (off_t)off);
		if (r < 0) {
			if (errno != EINTR)
				w->werr = errno;
			continue;
		}
		b += r;
		off += r;
		n -= r;
	}
}

static void
out_flush(struct pstw *w)
{
	write_at(w, w->bufoff, w->buf, w->buflen);
	w->bufoff += w->buflen;
	w->buflen = 0;
}

static void
out_put(struct pstw *w, uint64_t off, const void *p, size_t n)
{
	uint64_t	end = w->bufoff + w->buflen;

	if (w->buflen > 0 && (off < end || off - end + n > OUTBUF - w->buflen))
		out_flush(w);
	if (w->buflen == 0)
		w->bufoff = off;
	else if (off > end) {
		memset(w->buf + w->buflen, 0, off - end);
		w->buflen += off - end;
	}
	memcpy(w->buf + w->buflen, p, n);
	w->buflen += n;
}

/* Allocation: regions of 3968 slots, each opened by its map pages. */

static int
region_maps(uint64_t n)
{
	int	pages = 1;

	if (n % 8 == 0)
		pages++;
	if ((n >= 128 && (n - 128) % 496 == 0) ||
	    (n >= 8192 && (n - 8192) % 31744 == 0))
		pages++;
	return pages;
}

static void
amap_mark(struct pstw *w, uint64_t off, uint64_t size)
{
	uint64_t	s = (off - REGION0 - w->region * REGIONSZ) / 64;
	uint64_t	e = s + (size + 63) / 64;

	for (; s < e; s++)
		w->amap[s / 8] |= 0x80 >> (s % 8);
}

static void
region_start(struct pstw *w, uint64_t n)
{
	uint64_t	start = REGION0 + n * REGIONSZ;
	int		pages = region_maps(n);

	w->region = n;
	memset(w->amap, 0, sizeof w->amap);
	amap_mark(w, start, (uint64_t)pages * PAGESZ);
	w->next = start + (uint64_t)pages * PAGESZ;
	if (n >= w->capfree) {
		w->maxfree = xreallocarray(w->maxfree, n * 2 + 16, 1);
		memset(w->maxfree + w->capfree, 0, n * 2 + 16 - w->capfree);
		w->capfree = n * 2 + 16;
	}
}

static void
map_page(struct pstw *w, uint64_t ib, uint8_t ptype, const uint8_t *body)
{
	uint8_t	pg[PAGESZ];

	memcpy(pg, body, 496);
	pg[496] = ptype;
	pg[497] = ptype;
	le_put16(pg + 498, 0);
	le_put32(pg + 500, pstw_crc32(0, pg, 496));
	le_put64(pg + 504, ib);
	write_at(w, ib, pg, PAGESZ);
}

/* Close the current region: its AMap, PMap and FPMap are final now. */
static void
region_finish(struct pstw *w)
{
	uint64_t	start = REGION0 + w->region * REGIONSZ;
	uint8_t		ff[496];
	unsigned	run = 0, best = 0, nfree = 0, s;

	for (s = 0; s < SLOTS; s++) {
		if (w->amap[s / 8] & (0x80 >> (s % 8)))
			run = 0;
		else {
			nfree++;
			if (++run > best)
				best = run;
		}
	}
	w->maxfree[w->region] = best > 255 ? 255 : best;
	w->freeslots += nfree;
	out_flush(w);
	map_page(w, start, 0x84, w->amap);
	memset(ff, 0xFF, sizeof ff);
	if (w->region % 8 == 0)
		map_page(w, start + PAGESZ, 0x83, ff);
	if (w->region >= 8192 && (w->region - 8192) % 31744 == 0)
		map_page(w, start + 2 * PAGESZ, 0x85, ff);
}

static uint64_t
alloc_space(struct pstw *w, uint64_t size, uint64_t align)
{
	uint64_t	off = (w->next + align - 1) & ~(align - 1);

	if (off + size > REGION0 + (w->region + 1) * REGIONSZ) {
		region_finish(w);
		region_start(w, w->region + 1);
		off = (w->next + align - 1) & ~(align - 1);
	}
	amap_mark(w, off, size);
	w->next = off + size;
	return off;
}

/* Blocks. */

static uint64_t
block_put(struct pstw *w, const void *data, size_t cb, int internal)
{
	size_t		 sz = (cb + 16 + 63) & ~(size_t)63;
	uint64_t	 bid = w->nextbid | (internal ? 2 : 0);
	uint64_t	 ib;
	uint8_t		*t = w->blk + sz - 16;

	w->nextbid += 4;
	ib = alloc_space(w, sz, 64);
	memcpy(w->blk, data, cb);
	memset(w->blk + cb, 0, sz - cb);
	le_put16(t, cb);
	le_put16(t + 2, signature(ib, bid));
	le_put32(t + 4, pstw_crc32(0, data, cb));
	le_put64(t + 8, bid);
	out_put(w, ib, w->blk, sz);
	if (w->nbbt == w->capbbt) {
		w->capbbt = w->capbbt * 2 + 1024;
		w->bbt = xreallocarray(w->bbt, w->capbbt, sizeof *w->bbt);
	}
	w->bbt[w->nbbt].bid = bid;
	w->bbt[w->nbbt].ib = ib;
	w->bbt[w->nbbt].cb = cb;
	w->bbt[w->nbbt].cref = 2;	/* one reference, as Outlook counts */
	w->nbbt++;
	return bid;
}

static void
dt_add(struct pstw *w, struct dtree *t, const void *data, size_t cb)
{
	if (t->n == t->cap) {
		t->cap = t->cap * 2 + 16;
		t->bids = xreallocarray(t->bids, t->cap, sizeof *t->bids);
		t->sizes = xreallocarray(t->sizes, t->cap, sizeof *t->sizes);
	}
	t->bids[t->n] = block_put(w, data, cb, 0);
	t->sizes[t->n] = cb;
	t->n++;
}

static uint64_t
xblock(struct pstw *w, int level, const uint64_t *bids, size_t n,
    uint64_t total)
{
	uint8_t	b[8 + XBIDS * 8];
	size_t	i;

	b[0] = 0x01;
	b[1] = level;
	le_put16(b + 2, n);
	le_put32(b + 4, (uint32_t)total);
	for (i = 0; i < n; i++)
		le_put64(b + 8 + i * 8, bids[i]);
	return block_put(w, b, 8 + n * 8, 1);
}

/* Finish a data tree: one block, an XBLOCK, or an XXBLOCK over XBLOCKs. */
static uint64_t
dt_finish(struct pstw *w, struct dtree *t)
{
	uint64_t	 bid = 0, total = 0, sum, *x;
	size_t		 i, j, nx;

	for (i = 0; i < t->n; i++)
		total += t->sizes[i];
	if (t->n == 1)
		bid = t->bids[0];
	else if (t->n > 1 && t->n <= XBIDS)
		bid = xblock(w, 1, t->bids, t->n, total);
	else if (t->n > XBIDS) {
		nx = (t->n + XBIDS - 1) / XBIDS;
		if (nx > XBIDS)
			w->werr = EFBIG;
		else {
			x = xreallocarray(NULL, nx, sizeof *x);
			for (i = 0; i < nx; i++) {
				sum = 0;
				for (j = i * XBIDS; j < t->n &&
				    j < (i + 1) * XBIDS; j++)
					sum += t->sizes[j];
				x[i] = xblock(w, 1, t->bids + i * XBIDS,
				    j - i * XBIDS, sum);
			}
			bid = xblock(w, 2, x, nx, total);
			free(x);
		}
	}
	free(t->bids);
	free(t->sizes);
	memset(t, 0, sizeof *t);
	return bid;
}

static uint64_t
data_write(struct pstw *w, const void *data, size_t len)
{
	struct dtree	 t = { 0 };
	const uint8_t	*p = data;
	size_t		 n;

	while (len > 0) {
		n = len > BLOCKDATA ? BLOCKDATA : len;
		dt_add(w, &t, p, n);
		p += n;
		len -= n;
	}
	return dt_finish(w, &t);
}

/* Subnode trees. */

static uint32_t
node_nid(struct node *nd, uint8_t type)
{
	return (*nd->ctr)++ << 5 | type;
}

static void
node_add(struct node *nd, uint32_t nid, uint64_t data, uint64_t sub)
{
	if (nd->n == nd->cap) {
		nd->cap = nd->cap * 2 + 8;
		nd->v = xreallocarray(nd->v, nd->cap, sizeof *nd->v);
	}
	nd->v[nd->n].nid = nid;
	nd->v[nd->n].data = data;
	nd->v[nd->n].sub = sub;
	nd->n++;
}

static int
sub_cmp(const void *a, const void *b)
{
	const struct sub	*x = a, *y = b;

	return x->nid < y->nid ? -1 : x->nid > y->nid;
}

/* Write the SLBLOCK (and SIBLOCK levels) of a node; 0 if it has none. */
static uint64_t
node_finish(struct pstw *w, struct node *nd)
{
	uint8_t		 b[8 + SLMAX * 24];
	struct sub	*lv = nd->v, *up;
	size_t		 n = nd->n, i, j, k, per, ent;
	int		 level = 0;
	uint64_t	 bid = 0;

	if (n == 0) {
		free(nd->v);
		return 0;
	}
	qsort(lv, n, sizeof *lv, sub_cmp);
	for (;;) {
		per = level == 0 ? SLMAX : SIMAX;
		ent = level == 0 ? 24 : 16;
		up = xreallocarray(NULL, (n + per - 1) / per, sizeof *up);
		for (i = 0, k = 0; i < n; i += per, k++) {
			b[0] = 0x02;
			b[1] = level;
			le_put32(b + 4, 0);
			for (j = 0; j < per && i + j < n; j++) {
				le_put64(b + 8 + j * ent, lv[i + j].nid);
				le_put64(b + 16 + j * ent, lv[i + j].data);
				if (level == 0)
					le_put64(b + 24 + j * ent, lv[i + j].sub);
			}
			le_put16(b + 2, j);
			up[k].nid = lv[i].nid;
			up[k].data = block_put(w, b, 8 + j * ent, 1);
			up[k].sub = 0;
		}
		free(lv);
		lv = up;
		n = k;
		level++;
		if (n == 1) {
			bid = lv[0].data;
			free(lv);
			break;
		}
	}
	nd->v = NULL;
	nd->n = nd->cap = 0;
	return bid;
}

/* Heap-on-node. */

static size_t
hn_hdrsize(size_t i)
{
	if (i == 0)
		return 12;
	if (i >= 8 && (i - 8) % 128 == 0)
		return 66;
	return 2;
}

static void
hn_init(struct hn *h, uint8_t sig)
{
	memset(h, 0, sizeof *h);
	h->sig = sig;
}

static void
hn_newblock(struct hn *h)
{
	struct hblk	*b;

	/* libpff 20180714 caches 8 blocks of a node by index % 8 and keeps
	 * using a pointer to the block holding the BTH while it reads values:
	 * a value in block 8 would overwrite a BTH leaf in block 0. So
	 * blocks sharing a slot with a BTH block are left empty. */
	if (h->n >= 8 && (h->avoid & (1 << (h->n % 8))) != 0) {
		h->avoid &= ~(1 << (h->n % 8));
		hn_newblock(h);
		h->avoid |= 1 << ((h->n - 1) % 8);
		hn_newblock(h);
		return;
	}
	if (h->n == h->cap) {
		h->cap = h->cap * 2 + 1;
		h->b = xreallocarray(h->b, h->cap, sizeof *h->b);
	}
	b = &h->b[h->n];
	memset(b, 0, sizeof *b);
	b->d = xcalloc(1, BLOCKDATA);
	b->used = hn_hdrsize(h->n);
	h->n++;
}

/* Reserve len (1..3580) bytes; *pp points at them until hn_write(). */
static uint32_t
hn_alloc(struct hn *h, size_t len, uint8_t **pp)
{
	struct hblk	*b = h->n > 0 ? &h->b[h->n - 1] : NULL;

	if (b == NULL || b->noff >= 2047 ||
	    ((b->used + len + 1) & ~(size_t)1) + 4 + 2 * (b->noff + 2) >
	    BLOCKDATA) {
		hn_newblock(h);
		b = &h->b[h->n - 1];
	}
	if (b->noff == b->capoff) {
		b->capoff = b->capoff * 2 + 16;
		b->off = xreallocarray(b->off, b->capoff, sizeof *b->off);
	}
	b->off[b->noff++] = b->used;
	*pp = b->d + b->used;
	b->used += len;
	return (uint32_t)(h->n - 1) << 16 | (uint32_t)b->noff << 5;
}

static uint8_t *
hn_at(struct hn *h, uint32_t hid)
{
	struct hblk	*b = &h->b[hid >> 16];

	return b->d + b->off[((hid >> 5) & 0x7FF) - 1];
}

static uint32_t
hn_put(struct hn *h, const void *data, size_t len)
{
	uint8_t		*p;
	uint32_t	 hid = hn_alloc(h, len, &p);

	memcpy(p, data, len);
	return hid;
}

static uint8_t
fill_level(size_t free)
{
	static const size_t lim[] = { 3584, 2560, 2048, 1792, 1536, 1280,
	    1024, 768, 512, 256, 128, 64, 32, 16, 8 };
	uint8_t	i;

	for (i = 0; i < NITEMS(lim); i++)
		if (free >= lim[i])
			return i;
	return 15;
}

/* Write the heap as the node's data tree; frees h. *total gets its size. */
static uint64_t
hn_write(struct pstw *w, struct hn *h, uint32_t root, uint64_t *total)
{
	struct dtree	 t = { 0 };
	struct hblk	*b;
	size_t		*size, i, j, pm;
	uint8_t		*fl;

	if (h->n == 0)
		hn_newblock(h);
	size = xreallocarray(NULL, h->n, sizeof *size);
	for (i = 0; i < h->n; i++) {
		b = &h->b[i];
		pm = (b->used + 1) & ~(size_t)1;
		le_put16(b->d, pm);
		le_put16(b->d + pm, b->noff);
		le_put16(b->d + pm + 2, 0);
		for (j = 0; j < b->noff; j++)
			le_put16(b->d + pm + 4 + j * 2, b->off[j]);
		le_put16(b->d + pm + 4 + j * 2, b->used);
		size[i] = pm + 4 + 2 * (b->noff + 1);
	}
	for (i = 0; i < h->n; i++) {
		if (i == 0) {
			fl = h->b[0].d + 8;
			h->b[0].d[2] = 0xEC;
			h->b[0].d[3] = h->sig;
			le_put32(h->b[0].d + 4, root);
			for (j = 0; j < 8 && j < h->n; j++)
				fl[j / 2] |= fill_level(BLOCKDATA - size[j]) <<
				    (j % 2 * 4);
		} else if (hn_hdrsize(i) == 66) {
			fl = h->b[i].d + 2;
			for (j = 0; j < 128 && i + j < h->n; j++)
				fl[j / 2] |= fill_level(BLOCKDATA -
				    size[i + j]) << (j % 2 * 4);
		}
	}
	*total = 0;
	for (i = 0; i < h->n; i++) {
		dt_add(w, &t, h->b[i].d, size[i]);
		*total += size[i];
		free(h->b[i].d);
		free(h->b[i].off);
	}
	free(size);
	free(h->b);
	memset(h, 0, sizeof *h);
	return dt_finish(w, &t);
}

/* BTH: records sorted by key; fills the header at hdr. If leaves is
 * not NULL it gets the HID of each leaf (HEAPITEM / record size records
 * each). */
static void
bth_build(struct hn *h, uint32_t hdr, uint8_t cbkey, uint8_t cbent,
    const uint8_t *recs, size_t n, uint32_t *leaves)
{
	uint8_t		*lv = NULL, *up, *p;
	size_t		 rs = cbkey + cbent, per, i, k, c;
	uint32_t	 root = 0, hid;
	int		 levels = -1;

	if (n > 0) {
		lv = xmemdup(recs, n * rs);
		for (;;) {
			per = HEAPITEM / rs;
			up = xreallocarray(NULL, (n + per - 1) / per,
			    cbkey + 4);
			for (i = 0, k = 0; i < n; i += per, k++) {
				c = n - i < per ? n - i : per;
				hid = hn_alloc(h, c * rs, &p);
				memcpy(p, lv + i * rs, c * rs);
				if (levels < 0 && leaves != NULL)
					leaves[k] = hid;
				memcpy(up + k * (cbkey + 4), lv + i * rs,
				    cbkey);
				le_put32(up + k * (cbkey + 4) + cbkey, hid);
			}
			free(lv);
			lv = up;
			levels++;
			if (k == 1) {
				root = hid;
				break;
			}
			n = k;
			rs = cbkey + 4;
		}
		free(lv);
	}
	p = hn_at(h, hdr);
	p[0] = 0xB5;
	p[1] = cbkey;
	p[2] = cbent;
	p[3] = levels < 0 ? 0 : levels;
	le_put32(p + 4, root);
}

/* Properties. */

static int
type_inline(uint16_t type)
{
	return type == 0x0002 || type == 0x0003 || type == 0x0004 ||
	    type == 0x000A || type == 0x000B;
}

static struct prop *
props_get(const struct pstw_props *p, uint16_t id)
{
	size_t	i;

	for (i = 0; i < p->n; i++)
		if (p->v[i].id == id)
			return &p->v[i];
	return NULL;
}

/* Store a value, taking ownership of data. */
static void
props_take(struct pstw_props *p, uint16_t id, uint16_t type, uint8_t *data,
    size_t len)
{
	struct prop	*e = props_get(p, id);

	if (e == NULL) {
		if (p->n == p->cap) {
			p->cap = p->cap * 2 + 16;
			p->v = xreallocarray(p->v, p->cap, sizeof *p->v);
		}
		e = &p->v[p->n++];
	} else
		free(e->data);
	e->id = id;
	e->type = type;
	e->data = data;
	e->len = len;
}

static void
props_free(struct pstw_props *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++)
		free(p->v[i].data);
	free(p->v);
	memset(p, 0, sizeof *p);
}

void
pstw_set_raw(struct pstw_props *p, uint16_t id, uint16_t type,
    const void *data, size_t len)
{
	props_take(p, id, type, xmemdup(data, len), len);
}

void
pstw_set_i4(struct pstw_props *p, uint16_t id, int32_t v)
{
	uint8_t	b[4];

	le_put32(b, (uint32_t)v);
	pstw_set_raw(p, id, PSTW_I4, b, 4);
}

void
pstw_set_i2(struct pstw_props *p, uint16_t id, int16_t v)
{
	uint8_t	b[2];

	le_put16(b, (uint16_t)v);
	pstw_set_raw(p, id, PSTW_I2, b, 2);
}

void
pstw_set_bool(struct pstw_props *p, uint16_t id, int v)
{
	uint8_t	b = v != 0;

	pstw_set_raw(p, id, PSTW_BOOL, &b, 1);
}

void
pstw_set_i8(struct pstw_props *p, uint16_t id, int64_t v)
{
	uint8_t	b[8];

	le_put64(b, (uint64_t)v);
	pstw_set_raw(p, id, PSTW_I8, b, 8);
}

void
pstw_set_time(struct pstw_props *p, uint16_t id, int64_t ft)
{
	uint8_t	b[8];

	le_put64(b, (uint64_t)ft);
	pstw_set_raw(p, id, PSTW_SYSTIME, b, 8);
}

void
pstw_set_str(struct pstw_props *p, uint16_t id, const char *s)
{
	size_t	 len;
	uint8_t	*u = utf16(s, &len);

	props_take(p, id, PSTW_UNICODE, u, len);
}

void
pstw_set_str8(struct pstw_props *p, uint16_t id, const char *s)
{
	pstw_set_raw(p, id, PSTW_STRING8, s, strlen(s));
}

void
pstw_set_bin(struct pstw_props *p, uint16_t id, const void *data, size_t len)
{
	pstw_set_raw(p, id, PSTW_BINARY, data, len);
}

void
pstw_set_mvstr(struct pstw_props *p, uint16_t id, const char *const *s,
    size_t n)
{
	uint8_t	**u = xreallocarray(NULL, n + 1, sizeof *u);
	size_t	 *l = xreallocarray(NULL, n + 1, sizeof *l);
	size_t	  i, total = 4 + 4 * n, off;
	uint8_t	 *b;

	for (i = 0; i < n; i++) {
		u[i] = utf16(s[i], &l[i]);
		total += l[i];
	}
	b = xmalloc(total);
	le_put32(b, n);
	off = 4 + 4 * n;
	for (i = 0; i < n; i++) {
		le_put32(b + 4 + 4 * i, off);
		memcpy(b + off, u[i], l[i]);
		off += l[i];
		free(u[i]);
	}
	free(u);
	free(l);
	props_take(p, id, PSTW_MV_UNICODE, b, total);
}

/* A value's HNID in a PC or TC: inline, heap item, or subnode. */
static uint32_t
value_hnid(struct pstw *w, struct hn *h, struct node *nd,
    const struct prop *p)
{
	uint32_t	v = 0, nid;
	size_t		i;

	if (type_inline(p->type)) {
		for (i = 0; i < p->len && i < 4; i++)
			v |= (uint32_t)p->data[i] << (8 * i);
		return v;
	}
	if (p->len == 0)
		return 0;
	if (p->len <= HEAPITEM)
		return hn_put(h, p->data, p->len);
	nid = node_nid(nd, NT_LTP);
	node_add(nd, nid, data_write(w, p->data, p->len), 0);
	return nid;
}

static int
prop_cmp(const void *a, const void *b)
{
	const struct prop	*x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* Property context over props (sorted in place); subnodes go to nd. */
static uint64_t
pc_build(struct pstw *w, struct node *nd, struct prop *v, size_t n,
    uint64_t *total)
{
	struct hn	 h;
	uint32_t	 hdr, *leaves;
	uint8_t		*recs, *p;
	size_t		 i, per = HEAPITEM / 8;

	qsort(v, n, sizeof *v, prop_cmp);
	hn_init(&h, 0xBC);
	hdr = hn_alloc(&h, 8, &p);
	/* Outlook's order: the BTH (first leaf at 0x40), then the values,
	 * whose HNIDs are patched into the leaves. */
	recs = xreallocarray(NULL, n + 1, 8);
	for (i = 0; i < n; i++) {
		le_put16(recs + i * 8, v[i].id);
		le_put16(recs + i * 8 + 2, v[i].type);
		le_put32(recs + i * 8 + 4, 0);
	}
	leaves = xreallocarray(NULL, n / per + 1, sizeof *leaves);
	bth_build(&h, hdr, 2, 6, recs, n, leaves);
	free(recs);
	if (h.n < 8)
		h.avoid = (1 << h.n) - 1;
	for (i = 0; i < n; i++)
		le_put32(hn_at(&h, leaves[i / per]) + (i % per) * 8 + 4,
		    value_hnid(w, &h, nd, &v[i]));
	free(leaves);
	return hn_write(w, &h, hdr, total);
}

/* Table contexts. */

static uint8_t
cell_size(uint16_t type)
{
	switch (type) {
	case 0x0005: case 0x0006: case 0x0007: case 0x0014: case 0x0040:
		return 8;
	case 0x0002:
		return 2;
	case 0x000B:
		return 1;
	default:
		return 4;
	}
}

static int
tcol_tagcmp(const void *a, const void *b)
{
	const struct tcol	*x = a, *y = b;

	return x->tag < y->tag ? -1 : x->tag > y->tag;
}

static int
rec_cmp32(const void *a, const void *b)
{
	uint32_t	x = le_get32(a), y = le_get32(b);

	return x < y ? -1 : x > y;
}

static struct tcol *
tc_find(struct tcol *c, size_t n, uint32_t tag)
{
	struct tcol	key;

	key.tag = tag;
	return bsearch(&key, c, n, sizeof *c, tcol_tagcmp);
}

/* A table context with the base columns (plus every property present
 * in a row if addall); rows come from fn. Subnodes go to nd. */
static uint64_t
tc_build(struct pstw *w, struct node *nd, const uint32_t *base,
    size_t nbase, int addall, size_t nrows, rowfn fn, void *ctx)
{
	struct hn	 h;
	struct tcol	*c, *col;
	struct trow	 r;
	struct dtree	 t = { 0 };
	size_t		 nc, capc, i, j, k, rowsz, ceb, rpb, fill = 0;
	uint32_t	 hdr, info, rows = 0, tag, nid;
	uint8_t		*p, *recs, *row, *blk = NULL, *mat = NULL;
	uint16_t	 ib;
	uint8_t		 bit = 2;
	static const uint8_t groups[] = { 8, 4, 2, 1 };
	uint16_t	 rgib[4];
	uint64_t	 total;

	capc = nbase + 2;
	c = xreallocarray(NULL, capc, sizeof *c);
	nc = 0;
	c[nc++].tag = 0x67F20003;
	c[nc++].tag = 0x67F30003;
	for (i = 0; i < nbase; i++)
		c[nc++].tag = base[i];
	qsort(c, nc, sizeof *c, tcol_tagcmp);
	for (i = 0; addall && i < nrows; i++) {
		fn(ctx, i, &r);
		for (j = 0; j < r.n; j++) {
			tag = TAG(r.v[j].id, r.v[j].type);
			/* cCols is one byte. */
			if (r.v[j].type == PT_OBJECT || nc == 255 ||
			    tc_find(c, nc, tag) != NULL)
				continue;
			if (nc == capc) {
				capc *= 2;
				c = xreallocarray(c, capc, sizeof *c);
			}
			c[nc++].tag = tag;
			qsort(c, nc, sizeof *c, tcol_tagcmp);
		}
	}

	/* Row id and version first, then the cells by size. */
	ib = 8;
	for (i = 0; i < nc; i++) {
		if (c[i].tag == 0x67F20003 || c[i].tag == 0x67F30003) {
			c[i].ib = c[i].tag == 0x67F20003 ? 0 : 4;
			c[i].cb = 4;
			c[i].bit = c[i].tag == 0x67F20003 ? 0 : 1;
		}
	}
	for (k = 0; k < 4; k++) {
		for (i = 0; i < nc; i++) {
			if (c[i].tag == 0x67F20003 || c[i].tag == 0x67F30003 ||
			    cell_size(c[i].tag & 0xFFFF) != groups[k])
				continue;
			c[i].ib = ib;
			c[i].cb = groups[k];
			c[i].bit = bit++;
			ib += groups[k];
		}
		if (k > 0)
			rgib[k - 1] = ib;
	}
	ceb = (nc + 7) / 8;
	rgib[3] = ib + ceb;
	rowsz = rgib[3];

	hn_init(&h, 0x7C);
	hdr = hn_alloc(&h, 8, &p);
	info = hn_alloc(&h, 22 + 8 * nc, &p);

	recs = xreallocarray(NULL, nrows + 1, 8);
	for (i = 0; i < nrows; i++) {
		fn(ctx, i, &r);
		le_put32(recs + i * 8, r.id);
		le_put32(recs + i * 8 + 4, i);
	}
	qsort(recs, nrows, 8, rec_cmp32);
	bth_build(&h, hdr, 4, 4, recs, nrows, NULL);
	free(recs);

	row = xmalloc(rowsz);
	rpb = BLOCKDATA / rowsz;
	if (nrows * rowsz <= HEAPITEM)
		mat = xmalloc(nrows * rowsz + 1);
	else
		blk = xcalloc(1, BLOCKDATA);
	for (i = 0; i < nrows; i++) {
		fn(ctx, i, &r);
		memset(row, 0, rowsz);
		le_put32(row, r.id);
		le_put32(row + 4, 1);
		row[ib] |= 0xC0;
		for (j = 0; j < r.n; j++) {
			col = tc_find(c, nc, TAG(r.v[j].id, r.v[j].type));
			if (col == NULL || col->bit < 2)
				continue;
			if (col->cb == 4 && !type_inline(r.v[j].type))
				le_put32(row + col->ib,
				    value_hnid(w, &h, nd, &r.v[j]));
			else if (r.v[j].len == col->cb)
				memcpy(row + col->ib, r.v[j].data, col->cb);
			else
				continue;
			row[ib + col->bit / 8] |= 0x80 >> (col->bit % 8);
		}
		if (mat != NULL) {
			memcpy(mat + i * rowsz, row, rowsz);
			continue;
		}
		if (fill == rpb) {
			/* Every row block but the last is full size (T5). */
			memset(blk + fill * rowsz, 0, BLOCKDATA - fill * rowsz);
			dt_add(w, &t, blk, BLOCKDATA);
			fill = 0;
		}
		memcpy(blk + fill * rowsz, row, rowsz);
		fill++;
	}
	if (mat != NULL) {
		if (nrows > 0)
			rows = hn_put(&h, mat, nrows * rowsz);
		free(mat);
	} else {
		dt_add(w, &t, blk, fill * rowsz);
		free(blk);
		nid = node_nid(nd, NT_LTP);
		node_add(nd, nid, dt_finish(w, &t), 0);
		rows = nid;
	}
	free(row);

	p = hn_at(&h, info);
	p[0] = 0x7C;
	p[1] = nc;
	for (k = 0; k < 4; k++)
		le_put16(p + 2 + 2 * k, rgib[k]);
	le_put32(p + 10, hdr);
	le_put32(p + 14, rows);
	le_put32(p + 18, 0);
	for (i = 0; i < nc; i++) {
		le_put32(p + 22 + 8 * i, c[i].tag);
		le_put16(p + 26 + 8 * i, c[i].ib);
		p[28 + 8 * i] = c[i].cb;
		p[29 + 8 * i] = c[i].bit;
	}
	free(c);
	return hn_write(w, &h, info, &total);
}

/* Rows from property lists; row ids from ids, or 0, 1, 2 ... */
struct prows {
	struct pstw_props	**p;
	const uint32_t		 *ids;
};

static void
props_row(void *ctx, size_t i, struct trow *r)
{
	struct prows	*pr = ctx;

	r->id = pr->ids != NULL ? pr->ids[i] : i;
	r->v = pr->p[i]->v;
	r->n = pr->p[i]->n;
}

/* NBT and bookkeeping. */

static void
nbt_add(struct pstw *w, uint32_t nid, uint64_t data, uint64_t sub,
    uint32_t parent)
{
	if (w->nnbt == w->capnbt) {
		w->capnbt = w->capnbt * 2 + 256;
		w->nbt = xreallocarray(w->nbt, w->capnbt, sizeof *w->nbt);
	}
	w->nbt[w->nnbt].nid = nid;
	w->nbt[w->nnbt].data = data;
	w->nbt[w->nnbt].sub = sub;
	w->nbt[w->nnbt].parent = parent;
	w->nnbt++;
}

static struct folder *
folder_find(struct pstw *w, uint32_t nid)
{
	size_t	i;

	for (i = w->nfolders; i > 0; i--)
		if (w->folders[i - 1].nid == nid)
			return &w->folders[i - 1];
	return NULL;
}

static void
folder_add(struct pstw *w, uint32_t nid, uint32_t parent, const char *name,
    const char *cls)
{
	struct folder	*f;

	w->folders = xreallocarray(w->folders, w->nfolders + 1,
	    sizeof *w->folders);
	f = &w->folders[w->nfolders++];
	memset(f, 0, sizeof *f);
	f->nid = nid;
	f->parent = parent;
	f->name = xstrdup(name);
	f->cls = cls != NULL ? xstrdup(cls) : NULL;
}

int
pstw_open(const char *path, const char *name, struct pstw **wp,
    char **cause)
{
	struct pstw	*w;
	uint32_t	 h;
	uint8_t		 i;

	w = xcalloc(1, sizeof *w);
	w->fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0666);
	if (w->fd == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		free(w);
		return -1;
	}
	w->path = xstrdup(path);
	w->name = xstrdup(name);
	w->buf = xmalloc(OUTBUF);
	w->nextbid = 4;
	w->nextpbid = 0x100;
	w->nextfolder = 0x405;
	w->nextmsg = 0x10001;
	/* The store's UID: derived from its name so output is repeatable. */
	h = pstw_crc32(0x50535457, name, strlen(name));
	for (i = 0; i < 16; i++) {
		h = pstw_crc32(h, &i, 1);
		w->uid[i] = h >> 24;
	}
	region_start(w, 0);
	folder_add(w, NID_ROOT, NID_ROOT, "", NULL);
	folder_add(w, NID_IPM, NID_ROOT, "Top of Personal Folders", NULL);
	folder_add(w, NID_FINDER, NID_ROOT, "Search Root", NULL);
	folder_add(w, NID_WASTE, NID_IPM, "Deleted Items", "IPF.Note");
	*wp = w;
	return 0;
}

static void
pstw_free(struct pstw *w)
{
	size_t	i, j;

	for (i = 0; i < w->nfolders; i++) {
		for (j = 0; j < w->folders[i].nrows; j++)
			free(w->folders[i].rows[j]);
		free(w->folders[i].rows);
		free(w->folders[i].rownid);
		free(w->folders[i].name);
		free(w->folders[i].cls);
	}
	for (i = 0; i < w->nnames; i++)
		free(w->names[i].str);
	free(w->names);
	free(w->guids);
	free(w->folders);
	free(w->nbt);
	free(w->bbt);
	free(w->maxfree);
	free(w->buf);
	free(w->name);
	free(w->path);
	free(w);
}

void
pstw_abort(struct pstw *w)
{
	close(w->fd);
	unlink(w->path);
	pstw_free(w);
}

uint32_t
pstw_ipm_subtree(const struct pstw *w)
{
	return NID_IPM;
}

uint32_t
pstw_deleted_items(const struct pstw *w)
{
	return NID_WASTE;
}

int
pstw_folder(struct pstw *w, uint32_t parent, const char *name,
    const char *cls, uint32_t *nid, char **cause)
{
	if (folder_find(w, parent) == NULL) {
		xasprintf(cause, "no folder with node id 0x%x", parent);
		return -1;
	}
	if (w->nextfolder >= 1U << 27) {
		xasprintf(cause, "too many folders");
		return -1;
	}
	*nid = w->nextfolder++ << 5 | NT_FOLDER;
	folder_add(w, *nid, parent, name, cls);
	return 0;
}

/* Named properties. */

static uint16_t
guid_index(struct pstw *w, const uint8_t guid[16])
{
	size_t	i;

	if (memcmp(guid, ps_mapi, 16) == 0)
		return 1;
	if (memcmp(guid, pstw_ps_public_strings, 16) == 0)
		return 2;
	for (i = 0; i < w->nguids; i++)
		if (memcmp(w->guids[i], guid, 16) == 0)
			return 3 + i;
	w->guids = xreallocarray(w->guids, w->nguids + 1, sizeof *w->guids);
	memcpy(w->guids[w->nguids], guid, 16);
	return 3 + w->nguids++;
}

static uint16_t
named_add(struct pstw *w, const uint8_t guid[16], uint32_t lid,
    uint8_t *str, size_t slen)
{
	uint16_t	 g = guid_index(w, guid);
	struct named	*e;
	size_t		 i;

	for (i = 0; i < w->nnames; i++) {
		e = &w->names[i];
		if (e->gidx != g || (e->str == NULL) != (str == NULL))
			continue;
		if (str == NULL ? e->lid == lid :
		    e->slen == slen && memcmp(e->str, str, slen) == 0) {
			free(str);
			return 0x8000 + i;
		}
	}
	w->names = xreallocarray(w->names, w->nnames + 1, sizeof *w->names);
	e = &w->names[w->nnames];
	e->gidx = g;
	e->lid = lid;
	e->str = str;
	e->slen = slen;
	return 0x8000 + w->nnames++;
}

uint16_t
pstw_named_lid(struct pstw *w, const uint8_t guid[16], uint32_t lid)
{
	return named_add(w, guid, lid, NULL, 0);
}

uint16_t
pstw_named_str(struct pstw *w, const uint8_t guid[16], const char *name)
{
	size_t	 len;
	uint8_t	*u = utf16(name, &len);

	return named_add(w, guid, 0, u, len);
}

/* Messages. */

struct pstw_msg *
pstw_msg_new(const char *msgclass)
{
	struct pstw_msg	*m = xcalloc(1, sizeof *m);

	pstw_set_str(&m->props, 0x001A, msgclass);
	return m;
}

void
pstw_msg_free(struct pstw_msg *m)
{
	size_t	i;

	if (m == NULL)
		return;
	props_free(&m->props);
	for (i = 0; i < m->nrcpt; i++) {
		props_free(m->rcpt[i]);
		free(m->rcpt[i]);
	}
	free(m->rcpt);
	for (i = 0; i < m->natt; i++) {
		props_free(&m->att[i]->props);
		free(m->att[i]->data);
		pstw_msg_free(m->att[i]->embed);
		free(m->att[i]);
	}
	free(m->att);
	free(m);
}

struct pstw_props *
pstw_msg_props(struct pstw_msg *m)
{
	return &m->props;
}

struct pstw_props *
pstw_msg_recipient(struct pstw_msg *m)
{
	m->rcpt = xreallocarray(m->rcpt, m->nrcpt + 1, sizeof *m->rcpt);
	m->rcpt[m->nrcpt] = xcalloc(1, sizeof **m->rcpt);
	return m->rcpt[m->nrcpt++];
}

struct pstw_attach *
pstw_msg_attach(struct pstw_msg *m)
{
	m->att = xreallocarray(m->att, m->natt + 1, sizeof *m->att);
	m->att[m->natt] = xcalloc(1, sizeof **m->att);
	return m->att[m->natt++];
}

struct pstw_props *
pstw_attach_props(struct pstw_attach *a)
{
	return &a->props;
}

void
pstw_attach_data(struct pstw_attach *a, const void *data, size_t len)
{
	free(a->data);
	a->data = xmemdup(data, len);
	a->len = len;
	a->hasdata = 1;
	pstw_msg_free(a->embed);
	a->embed = NULL;
}

struct pstw_msg *
pstw_attach_embed(struct pstw_attach *a, const char *msgclass)
{
	free(a->data);
	a->data = NULL;
	a->len = 0;
	a->hasdata = 0;
	pstw_msg_free(a->embed);
	a->embed = pstw_msg_new(msgclass);
	return a->embed;
}

static size_t
msg_size(const struct pstw_msg *m)
{
	size_t	n = 0, i;

	for (i = 0; i < m->props.n; i++)
		n += m->props.v[i].len + 8;
	for (i = 0; i < m->nrcpt; i++)
		n += 64 * m->rcpt[i]->n;
	for (i = 0; i < m->natt; i++)
		n += m->att[i]->len + (m->att[i]->embed != NULL ?
		    msg_size(m->att[i]->embed) : 0);
	return n;
}

static uint64_t	msg_build(struct pstw *, struct pstw_msg *, uint32_t *,
		    uint64_t *, uint64_t *);

static void
attach_build(struct pstw *w, struct node *mnd, struct pstw_attach *a,
    uint32_t nid)
{
	struct node	 nd = { NULL, 0, 0, mnd->ctr };
	uint8_t		 obj[8];
	uint64_t	 data, sub, size;
	uint32_t	 enid;

	if (a->embed != NULL) {
		data = msg_build(w, a->embed, mnd->ctr, &sub, &size);
		enid = node_nid(&nd, NT_MSG);
		node_add(&nd, enid, data, sub);
		le_put32(obj, enid);
		le_put32(obj + 4, (uint32_t)size);
		pstw_set_raw(&a->props, 0x3701, PT_OBJECT, obj, 8);
		if (props_get(&a->props, 0x3705) == NULL)
			pstw_set_i4(&a->props, 0x3705, 5);
		if (props_get(&a->props, 0x0E20) == NULL)
			pstw_set_i4(&a->props, 0x0E20, (int32_t)size);
	} else if (a->hasdata) {
		props_take(&a->props, 0x3701, PSTW_BINARY, a->data, a->len);
		a->data = NULL;
		if (props_get(&a->props, 0x3705) == NULL)
			pstw_set_i4(&a->props, 0x3705, 1);
		if (props_get(&a->props, 0x0E20) == NULL)
			pstw_set_i4(&a->props, 0x0E20, (int32_t)a->len);
	}
	if (props_get(&a->props, 0x370B) == NULL)
		pstw_set_i4(&a->props, 0x370B, -1);
	data = pc_build(w, &nd, a->props.v, a->props.n, &size);
	sub = node_finish(w, &nd);
	node_add(mnd, nid, data, sub);
}

/* Write a message's blocks; returns its PC's BID, *sub its subnodes. */
static uint64_t
msg_build(struct pstw *w, struct pstw_msg *m, uint32_t *ctr, uint64_t *sub,
    uint64_t *size)
{
	struct node		  nd = { NULL, 0, 0, ctr };
	struct node		  tn = { NULL, 0, 0, ctr };
	struct prows		  pr = { m->rcpt, NULL };
	struct pstw_props	**ap;
	uint32_t		 *ids;
	uint64_t		  data, tsub;
	size_t			  i;

	if (m->nrcpt == 0 && w->emptyrcpt != 0) {
		/* Every empty recipient table shares one block (T13). */
		node_add(&nd, NID_RCPT_TC, w->emptyrcpt, 0);
		w->bbt[w->emptyrcptidx].cref++;
	} else {
		data = tc_build(w, &tn, cols_rcpt, NITEMS(cols_rcpt), 1,
		    m->nrcpt, props_row, &pr);
		tsub = node_finish(w, &tn);
		node_add(&nd, NID_RCPT_TC, data, tsub);
		if (m->nrcpt == 0) {
			w->emptyrcpt = data;
			w->emptyrcptidx = w->nbbt - 1;
		}
	}
	if (props_get(&m->props, 0x0E08) == NULL)
		pstw_set_i4(&m->props, 0x0E08, (int32_t)msg_size(m));
	if (m->natt > 0) {
		ap = xreallocarray(NULL, m->natt, sizeof *ap);
		ids = xreallocarray(NULL, m->natt, sizeof *ids);
		for (i = 0; i < m->natt; i++) {
			ids[i] = node_nid(&nd, NT_ATTACH);
			attach_build(w, &nd, m->att[i], ids[i]);
			ap[i] = &m->att[i]->props;
		}
		pr.p = ap;
		pr.ids = ids;
		data = tc_build(w, &tn, cols_att, NITEMS(cols_att), 0,
		    m->natt, props_row, &pr);
		tsub = node_finish(w, &tn);
		node_add(&nd, NID_ATT_TC, data, tsub);
		free(ap);
		free(ids);
	}
	data = pc_build(w, &nd, m->props.v, m->props.n, size);
	*sub = node_finish(w, &nd);
	return data;
}

/* Contents-table rows are kept packed: n, then id, type, len, bytes. */
static uint8_t *
row_pack(const struct pstw_msg *m)
{
	const struct prop	*p, *sel[NITEMS(cols_contents)];
	size_t			 n = 0, i, len = 2;
	uint8_t			*b, *q;

	for (i = 0; i < NITEMS(cols_contents); i++) {
		p = props_get(&m->props, cols_contents[i] >> 16);
		if (p == NULL && cols_contents[i] == 0x0E060040)
			p = props_get(&m->props, 0x3007);
		if (p == NULL || p->type != (cols_contents[i] & 0xFFFF))
			continue;
		sel[n++] = p;
		len += 8 + p->len;
	}
	b = q = xmalloc(len);
	le_put16(q, n);
	q += 2;
	for (i = 0; i < n; i++) {
		le_put16(q, sel[i]->id == 0x3007 ? 0x0E06 : sel[i]->id);
		le_put16(q + 2, sel[i]->type);
		le_put32(q + 4, sel[i]->len);
		memcpy(q + 8, sel[i]->data, sel[i]->len);
		q += 8 + sel[i]->len;
	}
	return b;
}

struct crows {
	struct folder	*f;
	struct prop	 v[NITEMS(cols_contents)];
};

static void
contents_row(void *ctx, size_t i, struct trow *r)
{
	struct crows	*c = ctx;
	const uint8_t	*q = c->f->rows[i];
	size_t		 n = le_get16(q), j;

	q += 2;
	for (j = 0; j < n; j++) {
		c->v[j].id = le_get16(q);
		c->v[j].type = le_get16(q + 2);
		c->v[j].len = le_get32(q + 4);
		c->v[j].data = (uint8_t *)(q + 8);
		q += 8 + c->v[j].len;
	}
	r->id = c->f->rownid[i];
	r->v = c->v;
	r->n = n;
}

int
pstw_msg_write(struct pstw *w, uint32_t folder, struct pstw_msg *m,
    uint32_t *nidp, char **cause)
{
	struct folder	*f = folder_find(w, folder);
	uint32_t	 ctr = 0x401, nid;
	uint64_t	 data, sub, size;

	if (f == NULL) {
		xasprintf(cause, "no folder with node id 0x%x", folder);
		pstw_msg_free(m);
		return -1;
	}
	if (w->nextmsg >= 1U << 27) {
		xasprintf(cause, "too many messages");
		pstw_msg_free(m);
		return -1;
	}
	nid = w->nextmsg++ << 5 | NT_MSG;
	data = msg_build(w, m, &ctr, &sub, &size);
	nbt_add(w, nid, data, sub, folder);
	if (f->nrows == f->caprows) {
		f->caprows = f->caprows * 2 + 16;
		f->rows = xreallocarray(f->rows, f->caprows, sizeof *f->rows);
		f->rownid = xreallocarray(f->rownid, f->caprows,
		    sizeof *f->rownid);
	}
	f->rows[f->nrows] = row_pack(m);
	f->rownid[f->nrows++] = nid;
	pstw_msg_free(m);
	if (nidp != NULL)
		*nidp = nid;
	if (w->werr != 0) {
		xasprintf(cause, "%s: %s", w->path, strerror(w->werr));
		return -1;
	}
	return 0;
}

/* Closing: folders, store, name map, B-trees, maps, header. */

static void
entryid(const struct pstw *w, uint32_t nid, uint8_t out[24])
{
	memset(out, 0, 4);
	memcpy(out + 4, w->uid, 16);
	le_put32(out + 20, nid);
}

static void
folder_props(struct pstw *w, struct folder *f, struct pstw_props *p)
{
	size_t	i;
	int	subs = 0;

	for (i = 0; i < w->nfolders; i++)
		if (w->folders[i].parent == f->nid &&
		    w->folders[i].nid != f->nid)
			subs = 1;
	pstw_set_str(p, 0x3001, f->name);
	pstw_set_i4(p, 0x3602, (int32_t)f->nrows);
	pstw_set_i4(p, 0x3603, 0);
	pstw_set_bool(p, 0x360A, subs);
	if (f->cls != NULL)
		pstw_set_str(p, 0x3613, f->cls);
}

static void
folder_write(struct pstw *w, struct folder *f)
{
	struct pstw_props	  pc = { 0 }, **kids = NULL;
	struct node		  nd;
	struct prows		  pr;
	struct crows		  cr;
	uint32_t		  ctr = 0x401, base = f->nid & ~0x1FU;
	uint32_t		 *ids = NULL;
	uint64_t		  data, sub, total;
	size_t			  i, nk = 0;

	nd.v = NULL;
	nd.n = nd.cap = 0;
	nd.ctr = &ctr;
	folder_props(w, f, &pc);
	data = pc_build(w, &nd, pc.v, pc.n, &total);
	sub = node_finish(w, &nd);
	nbt_add(w, f->nid, data, sub, f->parent);
	props_free(&pc);

	/* Table rows list exactly the NBT children (T6). */
	for (i = 0; i < w->nfolders; i++) {
		if (w->folders[i].parent != f->nid ||
		    w->folders[i].nid == f->nid)
			continue;
		kids = xreallocarray(kids, nk + 1, sizeof *kids);
		ids = xreallocarray(ids, nk + 1, sizeof *ids);
		kids[nk] = xcalloc(1, sizeof **kids);
		folder_props(w, &w->folders[i], kids[nk]);
		ids[nk++] = w->folders[i].nid;
	}
	pr.p = kids;
	pr.ids = ids;
	data = tc_build(w, &nd, cols_hier, NITEMS(cols_hier), 0, nk, props_row,
	    &pr);
	nbt_add(w, base | 0x0D, data, node_finish(w, &nd), 0);
	for (i = 0; i < nk; i++) {
		props_free(kids[i]);
		free(kids[i]);
	}
	free(kids);
	free(ids);

	cr.f = f;
	data = tc_build(w, &nd, cols_contents, NITEMS(cols_contents), 0,
	    f->nrows, contents_row, &cr);
	nbt_add(w, base | 0x0E, data, node_finish(w, &nd), 0);

	pr.p = NULL;
	pr.ids = NULL;
	data = tc_build(w, &nd, cols_fai, NITEMS(cols_fai), 0, 0, props_row,
	    &pr);
	nbt_add(w, base | 0x0F, data, node_finish(w, &nd), 0);
}

static void
store_write(struct pstw *w)
{
	struct pstw_props	 pc = { 0 };
	struct node		 nd;
	uint32_t		 ctr = 0x401;
	uint64_t		 data, total;
	uint8_t			 eid[24];

	nd.v = NULL;
	nd.n = nd.cap = 0;
	nd.ctr = &ctr;
	pstw_set_bin(&pc, 0x0FF9, w->uid, 16);
	pstw_set_str(&pc, 0x3001, w->name);
	pstw_set_i4(&pc, 0x0E38, 0);
	pstw_set_i4(&pc, 0x35DF, 0x89);
	entryid(w, NID_IPM, eid);
	pstw_set_bin(&pc, 0x35E0, eid, 24);
	entryid(w, NID_WASTE, eid);
	pstw_set_bin(&pc, 0x35E3, eid, 24);
	entryid(w, NID_FINDER, eid);
	pstw_set_bin(&pc, 0x35E7, eid, 24);
	pstw_set_bool(&pc, 0x6633, 1);
	pstw_set_i4(&pc, 0x67FF, 0);
	data = pc_build(w, &nd, pc.v, pc.n, &total);
	nbt_add(w, NID_STORE, data, node_finish(w, &nd), 0);
	props_free(&pc);
}

/* The name-to-id map (MS-PST 2.4.7), plus a last throw-away entry. */
static void
namemap_write(struct pstw *w)
{
	struct pstw_props	 pc = { 0 };
	struct node		 nd;
	struct named		*e;
	uint32_t		 ctr = 0x401, hash;
	uint64_t		 data, total;
	uint8_t			*ent, *str, **bk;
	size_t			 i, slen = 0, *nbk, b;
	uint16_t		 wg;

	pstw_named_str(w, ps_pstw, "pstdedup-end");
	nd.v = NULL;
	nd.n = nd.cap = 0;
	nd.ctr = &ctr;
	for (i = 0; i < w->nnames; i++)
		if (w->names[i].str != NULL)
			slen += 4 + ((w->names[i].slen + 3) & ~(size_t)3);
	ent = xcalloc(w->nnames, 8);
	str = xcalloc(1, slen);
	bk = xcalloc(NBUCKETS, sizeof *bk);
	nbk = xcalloc(NBUCKETS, sizeof *nbk);
	slen = 0;
	for (i = 0; i < w->nnames; i++) {
		e = &w->names[i];
		wg = e->gidx << 1 | (e->str != NULL);
		if (e->str != NULL) {
			le_put32(ent + i * 8, slen);
			le_put32(str + slen, e->slen);
			memcpy(str + slen + 4, e->str, e->slen);
			slen += 4 + ((e->slen + 3) & ~(size_t)3);
			hash = pstw_crc32(0, e->str, e->slen);
		} else {
			le_put32(ent + i * 8, e->lid);
			hash = e->lid;
		}
		le_put16(ent + i * 8 + 4, wg);
		le_put16(ent + i * 8 + 6, i);
		b = (hash ^ wg) % NBUCKETS;
		bk[b] = xreallocarray(bk[b], nbk[b] + 1, 8);
		le_put32(bk[b] + nbk[b] * 8, hash);
		le_put16(bk[b] + nbk[b] * 8 + 4, wg);
		le_put16(bk[b] + nbk[b] * 8 + 6, i);
		nbk[b]++;
	}
	pstw_set_i4(&pc, 0x0001, NBUCKETS);
	pstw_set_bin(&pc, 0x0002, w->guids, w->nguids * 16);
	props_take(&pc, 0x0003, PSTW_BINARY, ent, w->nnames * 8);
	props_take(&pc, 0x0004, PSTW_BINARY, str, slen);
	for (b = 0; b < NBUCKETS; b++)
		if (nbk[b] > 0)
			props_take(&pc, 0x1000 + b, PSTW_BINARY, bk[b],
			    nbk[b] * 8);
	free(bk);
	free(nbk);
	data = pc_build(w, &nd, pc.v, pc.n, &total);
	nbt_add(w, NID_NAMEMAP, data, node_finish(w, &nd), 0);
	props_free(&pc);
}

static int
nbt_cmp(const void *a, const void *b)
{
	const struct nbtent	*x = a, *y = b;

	return x->nid < y->nid ? -1 : x->nid > y->nid;
}

/* Bulk-load a B-tree of pages bottom-up from sorted leaf entries. */
static void
btree_write(struct pstw *w, int nbt, uint64_t *rootbid, uint64_t *rootib)
{
	size_t		 n = nbt ? w->nnbt : w->nbbt, i, j, k, per, cb;
	uint64_t	*keys, *bids, *ibs, *nk;
	uint64_t	*nb, *ni, ib, bid;
	uint8_t		 pg[PAGESZ], *e;
	uint8_t		 ptype = nbt ? 0x81 : 0x80;
	int		 level = 0;

	keys = bids = ibs = NULL;
	for (;;) {
		per = level > 0 ? 20 : nbt ? 15 : 20;
		cb = level > 0 ? 24 : nbt ? 32 : 24;
		k = n == 0 ? 1 : (n + per - 1) / per;
		nk = xreallocarray(NULL, k, sizeof *nk);
		nb = xreallocarray(NULL, k, sizeof *nb);
		ni = xreallocarray(NULL, k, sizeof *ni);
		for (i = 0; i < k; i++) {
			memset(pg, 0, sizeof pg);
			for (j = 0; j < per && i * per + j < n; j++) {
				e = pg + j * cb;
				if (level > 0) {
					le_put64(e, keys[i * per + j]);
					le_put64(e + 8, bids[i * per + j]);
					le_put64(e + 16, ibs[i * per + j]);
				} else if (nbt) {
					struct nbtent *x = &w->nbt[i * per + j];

					le_put64(e, x->nid);
					le_put64(e + 8, x->data);
					le_put64(e + 16, x->sub);
					le_put32(e + 24, x->parent);
				} else {
					struct bbtent *x = &w->bbt[i * per + j];

					le_put64(e, x->bid);
					le_put64(e + 8, x->ib);
					le_put16(e + 16, x->cb);
					le_put16(e + 18, x->cref);
				}
				if (j == 0)
					nk[i] = le_get32(e) |
					    (uint64_t)le_get32(e + 4) << 32;
			}
			if (j == 0)
				nk[i] = 0;
			pg[488] = j;
			pg[489] = per;
			pg[490] = cb;
			pg[491] = level;
			bid = w->nextpbid++;
			ib = alloc_space(w, PAGESZ, PAGESZ);
			pg[496] = ptype;
			pg[497] = ptype;
			le_put16(pg + 498, signature(ib, bid));
			le_put32(pg + 500, pstw_crc32(0, pg, 496));
			le_put64(pg + 504, bid);
			out_put(w, ib, pg, PAGESZ);
			nb[i] = bid;
			ni[i] = ib;
		}
		free(keys);
		free(bids);
		free(ibs);
		keys = nk;
		bids = nb;
		ibs = ni;
		n = k;
		level++;
		if (k == 1)
			break;
	}
	*rootbid = bids[0];
	*rootib = ibs[0];
	free(keys);
	free(bids);
	free(ibs);
}

static void
header_write(struct pstw *w, uint64_t eof, uint64_t amaplast,
    const uint64_t nbtref[2], const uint64_t bbtref[2])
{
	uint8_t		h[564], pg[PAGESZ];
	uint32_t	rgnid[32];
	size_t		i;
	unsigned	t;

	for (t = 0; t < 32; t++)
		rgnid[t] = 0x400;
	rgnid[NT_FOLDER] = 0x400;
	rgnid[0x03] = 0x4000;
	rgnid[NT_MSG] = 0x10000;
	rgnid[0x08] = 0x8000;
	for (i = 0; i < w->nnbt; i++) {
		t = w->nbt[i].nid & 0x1F;
		if (w->nbt[i].nid >> 5 > rgnid[t])
			rgnid[t] = w->nbt[i].nid >> 5;
	}

	/* The DList: no entries; Outlook rebuilds it. */
	memset(pg, 0, sizeof pg);
	pg[496] = 0x86;
	pg[497] = 0x86;
	le_put16(pg + 498, signature(0x4200, w->nextpbid));
	le_put32(pg + 500, pstw_crc32(0, pg, 496));
	le_put64(pg + 504, w->nextpbid);
	write_at(w, 0x4200, pg, PAGESZ);

	memset(h, 0, sizeof h);
	memcpy(h, "!BDN", 4);
	le_put16(h + 8, 0x4D53);
	le_put16(h + 10, 23);
	le_put16(h + 12, 19);
	h[14] = 1;
	h[15] = 1;
	le_put64(h + 32, w->nextpbid);
	le_put32(h + 40, 1);
	for (t = 0; t < 32; t++)
		le_put32(h + 44 + 4 * t, rgnid[t]);
	le_put64(h + 184, eof);
	le_put64(h + 192, amaplast);
	le_put64(h + 200, w->freeslots * 64);
	le_put64(h + 216, nbtref[0]);
	le_put64(h + 224, nbtref[1]);
	le_put64(h + 232, bbtref[0]);
	le_put64(h + 240, bbtref[1]);
	h[248] = 2;
	memset(h + 256, 0xFF, 256);
	h[512] = 0x80;
	h[513] = 0;
	le_put64(h + 516, w->nextbid);
	le_put32(h + 4, pstw_crc32(0, h + 8, 471));
	le_put32(h + 524, pstw_crc32(0, h + 8, 516));
	write_at(w, 0, h, sizeof h);
}

/* A top-level table node (parent 0) with the given rows. */
static void
table_node(struct pstw *w, uint32_t nid, const uint32_t *cols, size_t ncols,
    struct pstw_props **rows, const uint32_t *ids, size_t nrows)
{
	struct node	nd;
	struct prows	pr = { rows, ids };
	uint32_t	ctr = 0x401;
	uint64_t	data;

	nd.v = NULL;
	nd.n = nd.cap = 0;
	nd.ctr = &ctr;
	data = tc_build(w, &nd, cols, ncols, 0, nrows, props_row, &pr);
	nbt_add(w, nid, data, node_finish(w, &nd), 0);
}

/* The table templates and queues of an Outlook-made store (MS-PST
 * 2.7.1); readers do not need them, Outlook may. */
static void
templates_write(struct pstw *w)
{
	struct pstw_props	 recv = { 0 }, *rows[1] = { &recv };
	static const uint32_t	 recvid[1] = { 1 };

	table_node(w, 0x60D, cols_hier, NITEMS(cols_hier), NULL, NULL, 0);
	table_node(w, 0x60E, cols_contents, NITEMS(cols_contents),
	    NULL, NULL, 0);
	table_node(w, 0x60F, cols_fai, NITEMS(cols_fai), NULL, NULL, 0);
	table_node(w, 0x610, cols_search, NITEMS(cols_search), NULL, NULL, 0);
	table_node(w, NID_ATT_TC, cols_att, NITEMS(cols_att), NULL, NULL, 0);
	table_node(w, NID_RCPT_TC, cols_rcpt, NITEMS(cols_rcpt), NULL, NULL, 0);
	/* The default receive folder (class "") is the root. */
	pstw_set_str(&recv, 0x001A, "");
	pstw_set_i4(&recv, 0x6605, NID_ROOT);
	table_node(w, 0x62B, cols_recvfolder, NITEMS(cols_recvfolder), rows,
	    recvid, 1);
	props_free(&recv);
	table_node(w, 0x64C, cols_outqueue, NITEMS(cols_outqueue),
	    NULL, NULL, 0);
}

int
pstw_close(struct pstw *w, char **cause)
{
	uint64_t	nbtref[2], bbtref[2], n, eof, r, j;
	uint8_t		body[496];
	size_t		i;
	int		rv = 0;

	for (i = 0; i < w->nfolders; i++)
		folder_write(w, &w->folders[i]);
	store_write(w);
	namemap_write(w);
	templates_write(w);
	qsort(w->nbt, w->nnbt, sizeof *w->nbt, nbt_cmp);
	/* Pages last: the BBT must list every block first. */
	btree_write(w, 0, &bbtref[0], &bbtref[1]);
	btree_write(w, 1, &nbtref[0], &nbtref[1]);
	region_finish(w);
	n = w->region;
	eof = REGION0 + (n + 1) * REGIONSZ;
	for (r = 128; r <= n; r += 496) {
		for (j = 0; j < 496; j++)
			body[j] = r + j <= n ? w->maxfree[r + j] : 0;
		map_page(w, REGION0 + r * REGIONSZ + 2 * PAGESZ, 0x82, body);
	}
	header_write(w, eof, REGION0 + n * REGIONSZ, nbtref, bbtref);
	if (w->werr == 0 && ftruncate(w->fd, (off_t)eof) == -1)
		w->werr = errno;
	if (close(w->fd) == -1 && w->werr == 0)
		w->werr = errno;
	if (w->werr != 0) {
		xasprintf(cause, "%s: %s", w->path, strerror(w->werr));
		rv = -1;
	}
	pstw_free(w);
	return rv;
}
