/* pstwrite.c: write PST files (MS-PST) from folders and messages. */

#include <sys/types.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pstwrite.h"
#include "pst/crc.h"
#include "pst/crypt.h"
#include "pst/format.h"
#include "pst/mapi.h"
#include "le.h"
#include "model.h"
#include "xmalloc.h"

#define SLOTS		(PST_REGION_SIZE / PST_BLOCK_ALIGN) /* per region */
#define MAPBITS		496		/* bytes of bits in a map page */
#define OUTBUF		(1024 * 1024)
#define NBUCKETS	251

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
	size_t			  caprcpt;
	struct pstw_attach	**att;
	size_t			  natt;
	size_t			  capatt;
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
	const struct pst_layout *l;
	enum pst_crypt	  crypt;
	size_t		  blkdata;	/* data bytes in the biggest block */
	size_t		  xmax;		/* BIDs per XBLOCK/XXBLOCK */
	size_t		  slmax;	/* entries per SLBLOCK */
	size_t		  simax;	/* entries per SIBLOCK */
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
	uint8_t		  amap[MAPBITS];
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

	uint8_t		  blk[PST_BLOCK_MAX];
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
	const struct pst_layout *l;
	size_t		 max;		/* data bytes per heap block */
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

/* UTF-8 to UTF-16LE without terminator (model.h's codec). */
static uint8_t *
utf16(const char *s, size_t *lenp)
{
	uint8_t	*out = xmalloc(appt_utf8_to_utf16le(s, NULL) * 2 + 2);

	*lenp = appt_utf8_to_utf16le(s, out) * 2;
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
	uint64_t	s = (off - PST_REGION0 - w->region * PST_REGION_SIZE) / 64;
	uint64_t	e = s + (size + 63) / 64;

	for (; s < e; s++)
		w->amap[s / 8] |= 0x80 >> (s % 8);
}

static void
region_start(struct pstw *w, uint64_t n)
{
	uint64_t	start = PST_REGION0 + n * PST_REGION_SIZE;
	int		pages = region_maps(n);

	w->region = n;
	memset(w->amap, 0, sizeof w->amap);
	amap_mark(w, start, (uint64_t)pages * PST_PAGE_SIZE);
	w->next = start + (uint64_t)pages * PST_PAGE_SIZE;
	if (n >= w->capfree) {
		w->maxfree = xreallocarray(w->maxfree, n * 2 + 16, 1);
		memset(w->maxfree + w->capfree, 0, n * 2 + 16 - w->capfree);
		w->capfree = n * 2 + 16;
	}
}

/* A page's trailer, with the CRC over its content. */
static void
page_seal(struct pstw *w, uint8_t *pg, uint8_t ptype, uint16_t sig,
    uint64_t bid)
{
	struct pst_ptrailer	t;

	t.ptype = t.ptype_repeat = ptype;
	t.sig = sig;
	t.crc = pst_crc32(0, pg, w->l->page_crc_len);
	t.bid = bid;
	pst_ptrailer_put(w->l, pg, &t);
}

/* Map pages: no signature, their own offset as BID. ANSI pages start
 * with 4 bytes of padding (MS-PST 2.2.2.7.2). */
static void
map_page(struct pstw *w, uint64_t ib, uint8_t ptype, const uint8_t *body)
{
	uint8_t	pg[PST_PAGE_SIZE];
	size_t	pad = w->l->page_crc_len - MAPBITS;

	memset(pg, 0, pad);
	memcpy(pg + pad, body, MAPBITS);
	page_seal(w, pg, ptype, 0, ib);
	/* Behind the buffer's data: never through out_put. */
	write_at(w, ib, pg, PST_PAGE_SIZE);
}

/* Close the current region: its AMap, PMap and FPMap are final now. */
static void
region_finish(struct pstw *w)
{
	uint64_t	start = PST_REGION0 + w->region * PST_REGION_SIZE;
	uint8_t		ff[MAPBITS];
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
	map_page(w, start, PST_PTYPE_AMAP, w->amap);
	memset(ff, 0xFF, sizeof ff);
	if (w->region % 8 == 0)
		map_page(w, start + PST_PAGE_SIZE, PST_PTYPE_PMAP, ff);
	if (w->region >= 8192 && (w->region - 8192) % 31744 == 0)
		map_page(w, start + 2 * PST_PAGE_SIZE, PST_PTYPE_FPMAP, ff);
}

static uint64_t
alloc_space(struct pstw *w, uint64_t size, uint64_t align)
{
	uint64_t	off = (w->next + align - 1) & ~(align - 1);

	if (off + size > PST_REGION0 + (w->region + 1) * PST_REGION_SIZE) {
		region_finish(w);
		region_start(w, w->region + 1);
		off = (w->next + align - 1) & ~(align - 1);
	}
	amap_mark(w, off, size);
	w->next = off + size;
	return off;
}

/* Blocks. */

/* External blocks are encoded with the file's bCryptMethod; the CRC
 * covers the stored bytes. */
static uint64_t
block_put(struct pstw *w, const void *data, size_t cb, int internal)
{
	const struct pst_layout	*l = w->l;
	size_t			 sz = pst_block_size(l, cb);
	uint64_t		 bid = w->nextbid | (internal ? PST_BID_INTERNAL : 0);
	uint64_t		 ib;
	struct pst_btrailer	 t;

	w->nextbid += PST_BID_STEP;
	ib = alloc_space(w, sz, l->block_align);
	memcpy(w->blk, data, cb);
	memset(w->blk + cb, 0, sz - cb);
	if (!internal && w->crypt == PST_CRYPT_PERMUTE)
		pst_permute_encode(w->blk, cb);
	else if (!internal && w->crypt == PST_CRYPT_CYCLIC)
		pst_cyclic(w->blk, cb, (uint32_t)bid);
	t.cb = t.cb_inflated = cb;
	t.sig = pst_sig(ib, bid);
	t.crc = pst_crc32(0, w->blk, cb);
	t.bid = bid;
	pst_btrailer_put(l, w->blk + sz - l->block_trailer, &t);
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
	uint8_t			b[PST_BLOCK_MAX];
	struct pst_xblock	x;
	size_t			i, n8 = w->l->xblock_bid;

	x.btype = PST_BTYPE_XBLOCK;
	x.level = level;
	x.cent = n;
	x.lcb_total = (uint32_t)total;
	pst_xblock_put(b, &x);
	for (i = 0; i < n; i++)
		pst_bid_put(w->l, b + PST_XBLOCK_HDR + i * n8, bids[i]);
	return block_put(w, b, PST_XBLOCK_HDR + n * n8, 1);
}

/* Finish a data tree: one block, an XBLOCK, or an XXBLOCK over XBLOCKs. */
static uint64_t
dt_finish(struct pstw *w, struct dtree *t)
{
	uint64_t	 bid = 0, total = 0, sum, *x;
	size_t		 i, j, nx, xmax = w->xmax;

	for (i = 0; i < t->n; i++)
		total += t->sizes[i];
	if (t->n == 1)
		bid = t->bids[0];
	else if (t->n > 1 && t->n <= xmax)
		bid = xblock(w, 1, t->bids, t->n, total);
	else if (t->n > xmax) {
		nx = (t->n + xmax - 1) / xmax;
		if (nx > xmax)
			w->werr = EFBIG;
		else {
			x = xreallocarray(NULL, nx, sizeof *x);
			for (i = 0; i < nx; i++) {
				sum = 0;
				for (j = i * xmax; j < t->n &&
				    j < (i + 1) * xmax; j++)
					sum += t->sizes[j];
				x[i] = xblock(w, 1, t->bids + i * xmax,
				    j - i * xmax, sum);
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
		n = len > w->blkdata ? w->blkdata : len;
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
	return pst_nid_make(type, (*nd->ctr)++);
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
	const struct pst_layout	*l = w->l;
	uint8_t			 b[PST_BLOCK_MAX];
	struct sub		*lv = nd->v, *up;
	struct pst_slblock	 hdr;
	struct pst_slentry	 se;
	struct pst_sientry	 si;
	size_t			 n = nd->n, i, j, k, per, ent;
	int			 level = 0;
	uint64_t		 bid = 0;

	if (n == 0) {
		free(nd->v);
		return 0;
	}
	qsort(lv, n, sizeof *lv, sub_cmp);
	for (;;) {
		per = level == 0 ? w->slmax : w->simax;
		ent = level == 0 ? l->slentry : l->sientry;
		up = xreallocarray(NULL, (n + per - 1) / per, sizeof *up);
		for (i = 0, k = 0; i < n; i += per, k++) {
			for (j = 0; j < per && i + j < n; j++) {
				if (level == 0) {
					se.nid = lv[i + j].nid;
					se.bid_data = lv[i + j].data;
					se.bid_sub = lv[i + j].sub;
					pst_slentry_put(l, b + l->sl_hdr +
					    j * ent, &se);
				} else {
					si.nid = lv[i + j].nid;
					si.bid = lv[i + j].data;
					pst_sientry_put(l, b + l->sl_hdr +
					    j * ent, &si);
				}
			}
			hdr.btype = PST_BTYPE_SLBLOCK;
			hdr.level = level;
			hdr.cent = j;
			pst_slblock_put(l, b, &hdr);
			up[k].nid = lv[i].nid;
			up[k].data = block_put(w, b, l->sl_hdr + j * ent, 1);
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

static void
hn_init(struct pstw *w, struct hn *h, uint8_t sig)
{
	memset(h, 0, sizeof *h);
	h->l = w->l;
	h->max = w->blkdata;
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
	b->d = xcalloc(1, h->max);
	b->used = pst_hn_block_hdr_size(h->n);
	h->n++;
}

/* Reserve len (1..3580) bytes; *pp points at them until hn_write(). */
static uint32_t
hn_alloc(struct hn *h, size_t len, uint8_t **pp)
{
	struct hblk	*b = h->n > 0 ? &h->b[h->n - 1] : NULL;

	if (b == NULL || b->noff >= (1u << h->l->hid_index_bits) - 1 ||
	    ((b->used + len + 1) & ~(size_t)1) + PST_HNPAGEMAP_HDR +
	    2 * (b->noff + 2) > h->max) {
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
	return pst_hid_make(h->l, h->n - 1, b->noff - 1);
}

static uint8_t *
hn_at(struct hn *h, uint32_t hid)
{
	struct hblk	*b = &h->b[pst_hid_block(h->l, hid)];

	return b->d + b->off[pst_hid_index(h->l, hid) - 1];
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
	struct dtree		 t = { 0 };
	struct hblk		*b;
	struct pst_hnhdr	 hh;
	struct pst_hnpagemap	 pmap;
	size_t			*size, i, j, pm;
	uint8_t			*fl;

	if (h->n == 0)
		hn_newblock(h);
	size = xreallocarray(NULL, h->n, sizeof *size);
	for (i = 0; i < h->n; i++) {
		b = &h->b[i];
		pm = (b->used + 1) & ~(size_t)1;
		le_put16(b->d, pm);	/* ibHnpm, first in every header */
		pmap.calloc = b->noff;
		pmap.cfree = 0;
		pst_hnpagemap_put(b->d + pm, &pmap);
		for (j = 0; j < b->noff; j++)
			le_put16(b->d + pm + PST_HNPAGEMAP_HDR + j * 2,
			    b->off[j]);
		le_put16(b->d + pm + PST_HNPAGEMAP_HDR + j * 2, b->used);
		size[i] = pm + PST_HNPAGEMAP_HDR + 2 * (b->noff + 1);
	}
	for (i = 0; i < h->n; i++) {
		if (i == 0) {
			memset(&hh, 0, sizeof hh);
			hh.ib_hnpm = le_get16(h->b[0].d);
			hh.sig = PST_HN_SIG;
			hh.client_sig = h->sig;
			hh.hid_user_root = root;
			for (j = 0; j < 8 && j < h->n; j++)
				hh.fill[j / 2] |= fill_level(h->max -
				    size[j]) << (j % 2 * 4);
			pst_hnhdr_put(h->b[0].d, &hh);
		} else if (pst_hn_block_hdr_size(i) == PST_HNBITMAPHDR_SIZE) {
			fl = h->b[i].d + PST_HNPAGEHDR_SIZE;
			for (j = 0; j < 128 && i + j < h->n; j++)
				fl[j / 2] |= fill_level(h->max -
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
 * not NULL it gets the HID of each leaf (PST_HEAP_ITEM_MAX / record size records
 * each). */
static void
bth_build(struct hn *h, uint32_t hdr, uint8_t cbkey, uint8_t cbent,
    const uint8_t *recs, size_t n, uint32_t *leaves)
{
	struct pst_bthheader	 bh;
	uint8_t			*lv = NULL, *up, *p;
	size_t			 rs = cbkey + cbent, per, i, k, c;
	uint32_t		 root = 0, hid;
	int			 levels = -1;

	if (n > 0) {
		lv = xmemdup(recs, n * rs);
		for (;;) {
			per = PST_HEAP_ITEM_MAX / rs;
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
	bh.btype = PST_HN_CLIENT_BTH;
	bh.cb_key = cbkey;
	bh.cb_ent = cbent;
	bh.idx_levels = levels < 0 ? 0 : levels;
	bh.hid_root = root;
	pst_bthheader_put(hn_at(h, hdr), &bh);
}

/* Properties. */

static int
type_inline(uint16_t type)
{
	return type == MAPI_PT_SHORT || type == MAPI_PT_LONG ||
	    type == MAPI_PT_FLOAT || type == MAPI_PT_ERROR ||
	    type == MAPI_PT_BOOLEAN;
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
	pstw_set_raw(p, id, MAPI_PT_LONG, b, 4);
}

void
pstw_set_i2(struct pstw_props *p, uint16_t id, int16_t v)
{
	uint8_t	b[2];

	le_put16(b, (uint16_t)v);
	pstw_set_raw(p, id, MAPI_PT_SHORT, b, 2);
}

void
pstw_set_bool(struct pstw_props *p, uint16_t id, int v)
{
	uint8_t	b = v != 0;

	pstw_set_raw(p, id, MAPI_PT_BOOLEAN, &b, 1);
}

void
pstw_set_i8(struct pstw_props *p, uint16_t id, int64_t v)
{
	uint8_t	b[8];

	le_put64(b, (uint64_t)v);
	pstw_set_raw(p, id, MAPI_PT_LONGLONG, b, 8);
}

void
pstw_set_time(struct pstw_props *p, uint16_t id, int64_t ft)
{
	uint8_t	b[8];

	le_put64(b, (uint64_t)ft);
	pstw_set_raw(p, id, MAPI_PT_SYSTIME, b, 8);
}

void
pstw_set_str(struct pstw_props *p, uint16_t id, const char *s)
{
	size_t	 len;
	uint8_t	*u = utf16(s, &len);

	props_take(p, id, MAPI_PT_UNICODE, u, len);
}

void
pstw_set_str8(struct pstw_props *p, uint16_t id, const char *s)
{
	pstw_set_raw(p, id, MAPI_PT_STRING8, s, strlen(s));
}

void
pstw_set_bin(struct pstw_props *p, uint16_t id, const void *data, size_t len)
{
	pstw_set_raw(p, id, MAPI_PT_BINARY, data, len);
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
	props_take(p, id, MAPI_PT_MV_UNICODE, b, total);
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
	if (p->len <= PST_HEAP_ITEM_MAX)
		return hn_put(h, p->data, p->len);
	nid = node_nid(nd, PST_NID_TYPE_LTP);
	node_add(nd, nid, data_write(w, p->data, p->len), 0);
	return nid;
}

static int
prop_cmp(const void *a, const void *b)
{
	const struct prop	*x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* UTF-16LE to Windows-1252, '?' where it has no byte; controls stay
 * (a subject's "\1\1" prefix marker). Owned result. */
static uint8_t *
cp1252(const uint8_t *u, size_t len, size_t *outlen)
{
	uint8_t		*out = xmalloc(len / 2 + 1);
	size_t		 i, o = 0;
	uint32_t	 c, d;
	int		 b;

	for (i = 0; i + 1 < len; i += 2) {
		c = le_get16(u + i);
		if (c >= 0xD800 && c < 0xDC00 && i + 3 < len &&
		    (d = le_get16(u + i + 2)) >= 0xDC00 && d < 0xE000) {
			c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
			i += 2;
		}
		b = appt_cp1252_from_cp(c);
		out[o++] = b < 0 ? '?' : (uint8_t)b;
	}
	*outlen = o;
	return out;
}

/* ANSI files keep text as 8-bit strings (PT_STRING8 in the file's
 * codepage, 1252 here): convert Unicode values in place. */
static void
props_ansi(const struct pstw *w, struct prop *v, size_t n)
{
	size_t	 i, j, cnt, off, end, l, total;
	uint8_t	*b, **part;
	size_t	*plen;

	if (w->l->kind != PST_ANSI)
		return;
	for (i = 0; i < n; i++) {
		if (v[i].type == MAPI_PT_UNICODE) {
			b = cp1252(v[i].data, v[i].len, &l);
			free(v[i].data);
			v[i].data = b;
			v[i].len = l;
			v[i].type = MAPI_PT_STRING8;
		} else if (v[i].type == MAPI_PT_MV_UNICODE && v[i].len >= 4) {
			cnt = le_get32(v[i].data);
			if (cnt > (v[i].len - 4) / 4)
				continue;
			part = xreallocarray(NULL, cnt + 1, sizeof *part);
			plen = xreallocarray(NULL, cnt + 1, sizeof *plen);
			total = 4 + 4 * cnt;
			for (j = 0; j < cnt; j++) {
				off = le_get32(v[i].data + 4 + 4 * j);
				end = j + 1 < cnt ?
				    le_get32(v[i].data + 8 + 4 * j) : v[i].len;
				if (off > end || end > v[i].len)
					off = end = 0;
				part[j] = cp1252(v[i].data + off, end - off,
				    &plen[j]);
				total += plen[j];
			}
			b = xmalloc(total);
			le_put32(b, cnt);
			off = 4 + 4 * cnt;
			for (j = 0; j < cnt; j++) {
				le_put32(b + 4 + 4 * j, off);
				memcpy(b + off, part[j], plen[j]);
				off += plen[j];
				free(part[j]);
			}
			free(part);
			free(plen);
			free(v[i].data);
			v[i].data = b;
			v[i].len = total;
			v[i].type = MAPI_PT_MV_STRING8;
		}
	}
}

/* A column's tag in this file: 8-bit strings in ANSI files. */
static uint32_t
col_tag(const struct pstw *w, uint32_t tag)
{
	if (w->l->kind != PST_ANSI)
		return tag;
	if (MAPI_TAG_TYPE(tag) == MAPI_PT_UNICODE)
		return MAPI_TAG(MAPI_TAG_ID(tag), MAPI_PT_STRING8);
	if (MAPI_TAG_TYPE(tag) == MAPI_PT_MV_UNICODE)
		return MAPI_TAG(MAPI_TAG_ID(tag), MAPI_PT_MV_STRING8);
	return tag;
}

/* Property context over props (sorted in place); subnodes go to nd. */
static uint64_t
pc_build(struct pstw *w, struct node *nd, struct prop *v, size_t n,
    uint64_t *total)
{
	struct hn		 h;
	struct pst_pcrecord	 rec;
	uint32_t		 hdr, *leaves;
	uint8_t			*recs, *p;
	size_t			 i, per = PST_HEAP_ITEM_MAX / PST_PC_RECORD_SIZE;

	props_ansi(w, v, n);
	qsort(v, n, sizeof *v, prop_cmp);
	hn_init(w, &h, PST_HN_CLIENT_PC);
	hdr = hn_alloc(&h, PST_BTHHEADER_SIZE, &p);
	/* Outlook's order: the BTH (first leaf at 0x40), then the values,
	 * whose HNIDs are patched into the leaves. */
	recs = xreallocarray(NULL, n + 1, PST_PC_RECORD_SIZE);
	for (i = 0; i < n; i++) {
		rec.prop_id = v[i].id;
		rec.prop_type = v[i].type;
		rec.hnid = 0;
		pst_pcrecord_put(recs + i * PST_PC_RECORD_SIZE, &rec);
	}
	leaves = xreallocarray(NULL, n / per + 1, sizeof *leaves);
	bth_build(&h, hdr, PST_PC_KEY_SIZE, PST_PC_DATA_SIZE, recs, n, leaves);
	free(recs);
	if (h.n < 8)
		h.avoid = (1 << h.n) - 1;
	for (i = 0; i < n; i++) {
		p = hn_at(&h, leaves[i / per]) + (i % per) * PST_PC_RECORD_SIZE;
		rec.prop_id = v[i].id;
		rec.prop_type = v[i].type;
		rec.hnid = value_hnid(w, &h, nd, &v[i]);
		pst_pcrecord_put(p, &rec);
	}
	free(leaves);
	return hn_write(w, &h, hdr, total);
}

/* Table contexts. */

static uint8_t
cell_size(uint16_t type)
{
	switch (type) {
	case MAPI_PT_DOUBLE: case MAPI_PT_CURRENCY: case MAPI_PT_APPTIME:
	case MAPI_PT_LONGLONG: case MAPI_PT_SYSTIME:
		return 8;
	case MAPI_PT_SHORT:
		return 2;
	case MAPI_PT_BOOLEAN:
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
	static const uint8_t	 groups[] = { 8, 4, 2, 1 };
	struct hn		 h;
	struct tcol		*c, *col;
	struct trow		 r;
	struct dtree		 t = { 0 };
	struct pst_tcinfo	 ti;
	struct pst_tcoldesc	 cd;
	size_t			 nc, capc, i, j, k, rowsz, ceb, rpb, fill = 0;
	size_t			 rie, rir;
	uint32_t		 hdr, info, rows = 0, tag, nid;
	uint8_t			*p, *recs, *row, *blk = NULL, *mat = NULL;
	uint16_t		 ib, rgib[4];
	uint8_t			 bit = 2;
	uint64_t		 total;

	capc = nbase + 2;
	c = xreallocarray(NULL, capc, sizeof *c);
	nc = 0;
	c[nc++].tag = MAPI_TAG_LTP_ROW_ID;
	c[nc++].tag = MAPI_TAG_LTP_ROW_VER;
	for (i = 0; i < nbase; i++)
		c[nc++].tag = col_tag(w, base[i]);
	qsort(c, nc, sizeof *c, tcol_tagcmp);
	for (i = 0; addall && i < nrows; i++) {
		fn(ctx, i, &r);
		props_ansi(w, r.v, r.n);
		for (j = 0; j < r.n; j++) {
			tag = MAPI_TAG(r.v[j].id, r.v[j].type);
			/* cCols is one byte. */
			if (r.v[j].type == MAPI_PT_OBJECT || nc == 255 ||
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
		if (c[i].tag == MAPI_TAG_LTP_ROW_ID ||
		    c[i].tag == MAPI_TAG_LTP_ROW_VER) {
			c[i].ib = c[i].tag == MAPI_TAG_LTP_ROW_ID ? 0 : 4;
			c[i].cb = 4;
			c[i].bit = c[i].tag == MAPI_TAG_LTP_ROW_ID ? 0 : 1;
		}
	}
	for (k = 0; k < 4; k++) {
		for (i = 0; i < nc; i++) {
			if (c[i].tag == MAPI_TAG_LTP_ROW_ID ||
			    c[i].tag == MAPI_TAG_LTP_ROW_VER ||
			    cell_size(MAPI_TAG_TYPE(c[i].tag)) != groups[k])
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

	hn_init(w, &h, PST_HN_CLIENT_TC);
	hdr = hn_alloc(&h, PST_BTHHEADER_SIZE, &p);
	info = hn_alloc(&h, PST_TCINFO_SIZE + PST_TCOLDESC_SIZE * nc, &p);

	/* TCROWID: dwRowID, then dwRowIndex (4 bytes, 2 in ANSI files). */
	rie = w->l->kind == PST_ANSI ? 2 : PST_TC_ROWINDEX_DATA_UNICODE;
	rir = PST_TC_ROWINDEX_KEY + rie;
	recs = xreallocarray(NULL, nrows + 1, 8);
	for (i = 0; i < nrows; i++) {
		fn(ctx, i, &r);
		props_ansi(w, r.v, r.n);
		le_put32(recs + i * rir, r.id);
		if (rie == 2)
			le_put16(recs + i * rir + 4, (uint16_t)i);
		else
			le_put32(recs + i * rir + 4, i);
	}
	qsort(recs, nrows, rir, rec_cmp32);
	bth_build(&h, hdr, PST_TC_ROWINDEX_KEY, rie, recs, nrows, NULL);
	free(recs);

	row = xmalloc(rowsz);
	rpb = w->blkdata / rowsz;
	if (nrows * rowsz <= PST_HEAP_ITEM_MAX)
		mat = xmalloc(nrows * rowsz + 1);
	else
		blk = xcalloc(1, w->blkdata);
	for (i = 0; i < nrows; i++) {
		fn(ctx, i, &r);
		props_ansi(w, r.v, r.n);
		memset(row, 0, rowsz);
		le_put32(row, r.id);
		le_put32(row + 4, 1);
		row[ib] |= 0xC0;
		for (j = 0; j < r.n; j++) {
			col = tc_find(c, nc, MAPI_TAG(r.v[j].id, r.v[j].type));
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
			memset(blk + fill * rowsz, 0,
			    w->blkdata - fill * rowsz);
			dt_add(w, &t, blk, w->blkdata);
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
		nid = node_nid(nd, PST_NID_TYPE_LTP);
		node_add(nd, nid, dt_finish(w, &t), 0);
		rows = nid;
	}
	free(row);

	p = hn_at(&h, info);
	ti.btype = PST_HN_CLIENT_TC;
	ti.ccols = nc;
	for (k = 0; k < 4; k++)
		ti.rgib[k] = rgib[k];
	ti.hid_row_index = hdr;
	ti.hnid_rows = rows;
	ti.hid_index = 0;
	pst_tcinfo_put(p, &ti);
	for (i = 0; i < nc; i++) {
		cd.tag = c[i].tag;
		cd.ib = c[i].ib;
		cd.cb = c[i].cb;
		cd.ibit = c[i].bit;
		pst_tcoldesc_put(p + PST_TCINFO_SIZE + PST_TCOLDESC_SIZE * i,
		    &cd);
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
	return pstw_open_opts(path, name, NULL, wp, cause);
}

int
pstw_open_opts(const char *path, const char *name,
    const struct pstw_opts *o, struct pstw **wp, char **cause)
{
	const struct pst_layout	*l;
	struct pstw		*w;
	uint32_t		 h;
	uint8_t			 i;

	if (o != NULL && o->crypt != PST_CRYPT_NONE &&
	    o->crypt != PST_CRYPT_PERMUTE && o->crypt != PST_CRYPT_CYCLIC) {
		xasprintf(cause, "%s: unknown encoding %d", path, o->crypt);
		return -1;
	}
	w = xcalloc(1, sizeof *w);
	w->l = l = pst_layout(o != NULL && o->ansi ? PST_ANSI : PST_UNICODE);
	w->crypt = o != NULL ? o->crypt : PST_CRYPT_NONE;
	w->blkdata = l->block_max - l->block_trailer;
	w->xmax = (w->blkdata - PST_XBLOCK_HDR) / l->xblock_bid;
	w->slmax = (w->blkdata - l->sl_hdr) / l->slentry;
	w->simax = (w->blkdata - l->sl_hdr) / l->sientry;
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
	h = pst_crc32(0x50535457, name, strlen(name));
	for (i = 0; i < 16; i++) {
		h = pst_crc32(h, &i, 1);
		w->uid[i] = h >> 24;
	}
	region_start(w, 0);
	folder_add(w, PST_NID_ROOT_FOLDER, PST_NID_ROOT_FOLDER, "", NULL);
	folder_add(w, PST_NID_IPM_SUBTREE, PST_NID_ROOT_FOLDER,
	    "Top of Personal Folders", NULL);
	folder_add(w, PST_NID_FINDER, PST_NID_ROOT_FOLDER, "Search Root", NULL);
	folder_add(w, PST_NID_WASTEBASKET, PST_NID_IPM_SUBTREE, "Deleted Items",
	    MAPI_FOLDER_NOTE);
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
	return PST_NID_IPM_SUBTREE;
}

uint32_t
pstw_deleted_items(const struct pstw *w)
{
	return PST_NID_WASTEBASKET;
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
	*nid = pst_nid_make(PST_NID_TYPE_NORMAL_FOLDER, w->nextfolder++);
	folder_add(w, *nid, parent, name, cls);
	return 0;
}

/* Named properties. */

static uint16_t
guid_index(struct pstw *w, const uint8_t guid[16])
{
	size_t	i;

	if (memcmp(guid, mapi_ps_mapi, 16) == 0)
		return 1;
	if (memcmp(guid, mapi_ps_public_strings, 16) == 0)
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
			return PST_NAMED_FIRST + i;
		}
	}
	w->names = xreallocarray(w->names, w->nnames + 1, sizeof *w->names);
	e = &w->names[w->nnames];
	e->gidx = g;
	e->lid = lid;
	e->str = str;
	e->slen = slen;
	return PST_NAMED_FIRST + w->nnames++;
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

	pstw_set_str(&m->props, MAPI_ID_MESSAGE_CLASS, msgclass);
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
	if (m->nrcpt == m->caprcpt) {
		m->caprcpt = m->caprcpt * 2 + 8;
		m->rcpt = xreallocarray(m->rcpt, m->caprcpt, sizeof *m->rcpt);
	}
	m->rcpt[m->nrcpt] = xcalloc(1, sizeof **m->rcpt);
	return m->rcpt[m->nrcpt++];
}

struct pstw_attach *
pstw_msg_attach(struct pstw_msg *m)
{
	if (m->natt == m->capatt) {
		m->capatt = m->capatt * 2 + 8;
		m->att = xreallocarray(m->att, m->capatt, sizeof *m->att);
	}
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
		enid = node_nid(&nd, PST_NID_TYPE_NORMAL_MESSAGE);
		node_add(&nd, enid, data, sub);
		le_put32(obj, enid);
		le_put32(obj + 4, (uint32_t)size);
		pstw_set_raw(&a->props, MAPI_ID_ATTACH_DATA, MAPI_PT_OBJECT, obj, 8);
		if (props_get(&a->props, MAPI_ID_ATTACH_METHOD) == NULL)
			pstw_set_i4(&a->props, MAPI_ID_ATTACH_METHOD,
			    MAPI_ATTACH_EMBEDDED_MSG);
		if (props_get(&a->props, MAPI_ID_ATTACH_SIZE) == NULL)
			pstw_set_i4(&a->props, MAPI_ID_ATTACH_SIZE, (int32_t)size);
	} else if (a->hasdata) {
		props_take(&a->props, MAPI_ID_ATTACH_DATA, MAPI_PT_BINARY, a->data, a->len);
		a->data = NULL;
		if (props_get(&a->props, MAPI_ID_ATTACH_METHOD) == NULL)
			pstw_set_i4(&a->props, MAPI_ID_ATTACH_METHOD,
			    MAPI_ATTACH_BY_VALUE);
		if (props_get(&a->props, MAPI_ID_ATTACH_SIZE) == NULL)
			pstw_set_i4(&a->props, MAPI_ID_ATTACH_SIZE, (int32_t)a->len);
	}
	if (props_get(&a->props, MAPI_ID_RENDERING_POSITION) == NULL)
		pstw_set_i4(&a->props, MAPI_ID_RENDERING_POSITION, -1);
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
		node_add(&nd, PST_NID_RECIPIENT_TABLE, w->emptyrcpt, 0);
		w->bbt[w->emptyrcptidx].cref++;
	} else {
		data = tc_build(w, &tn, cols_rcpt, NITEMS(cols_rcpt), 1,
		    m->nrcpt, props_row, &pr);
		tsub = node_finish(w, &tn);
		node_add(&nd, PST_NID_RECIPIENT_TABLE, data, tsub);
		if (m->nrcpt == 0) {
			w->emptyrcpt = data;
			w->emptyrcptidx = w->nbbt - 1;
		}
	}
	if (props_get(&m->props, MAPI_ID_MESSAGE_SIZE) == NULL)
		pstw_set_i4(&m->props, MAPI_ID_MESSAGE_SIZE, (int32_t)msg_size(m));
	if (m->natt > 0) {
		ap = xreallocarray(NULL, m->natt, sizeof *ap);
		ids = xreallocarray(NULL, m->natt, sizeof *ids);
		for (i = 0; i < m->natt; i++) {
			ids[i] = node_nid(&nd, PST_NID_TYPE_ATTACHMENT);
			attach_build(w, &nd, m->att[i], ids[i]);
			ap[i] = &m->att[i]->props;
		}
		pr.p = ap;
		pr.ids = ids;
		data = tc_build(w, &tn, cols_att, NITEMS(cols_att), 0,
		    m->natt, props_row, &pr);
		tsub = node_finish(w, &tn);
		node_add(&nd, PST_NID_ATTACHMENT_TABLE, data, tsub);
		free(ap);
		free(ids);
	}
	data = pc_build(w, &nd, m->props.v, m->props.n, size);
	*sub = node_finish(w, &nd);
	return data;
}

/* Contents-table rows are kept packed: n, then id, type, len, bytes. */
static uint8_t *
row_pack(const struct pstw *w, const struct pstw_msg *m)
{
	const struct prop	*p, *sel[NITEMS(cols_contents)];
	size_t			 n = 0, i, len = 2;
	uint8_t			*b, *q;

	for (i = 0; i < NITEMS(cols_contents); i++) {
		p = props_get(&m->props, MAPI_TAG_ID(cols_contents[i]));
		if (p == NULL && cols_contents[i] ==
		    MAPI_TAG(MAPI_ID_MESSAGE_DELIVERY_TIME, MAPI_PT_SYSTIME))
			p = props_get(&m->props, MAPI_ID_CREATION_TIME);
		if (p == NULL ||
		    p->type != MAPI_TAG_TYPE(col_tag(w, cols_contents[i])))
			continue;
		sel[n++] = p;
		len += 8 + p->len;
	}
	b = q = xmalloc(len);
	le_put16(q, n);
	q += 2;
	for (i = 0; i < n; i++) {
		le_put16(q, sel[i]->id == MAPI_ID_CREATION_TIME ?
		    MAPI_ID_MESSAGE_DELIVERY_TIME : sel[i]->id);
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
	/* An ANSI TC row index holds 16-bit row numbers. */
	if (w->l->kind == PST_ANSI && (f->nrows >= 0xFFFF ||
	    m->natt >= 0xFFFF || m->nrcpt >= 0xFFFF)) {
		xasprintf(cause, "more than 65534 rows in one table of an "
		    "ANSI file");
		pstw_msg_free(m);
		return -1;
	}
	nid = pst_nid_make(PST_NID_TYPE_NORMAL_MESSAGE, w->nextmsg++);
	data = msg_build(w, m, &ctr, &sub, &size);
	nbt_add(w, nid, data, sub, folder);
	if (f->nrows == f->caprows) {
		f->caprows = f->caprows * 2 + 16;
		f->rows = xreallocarray(f->rows, f->caprows, sizeof *f->rows);
		f->rownid = xreallocarray(f->rownid, f->caprows,
		    sizeof *f->rownid);
	}
	f->rows[f->nrows] = row_pack(w, m);
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
	pstw_set_str(p, MAPI_ID_DISPLAY_NAME, f->name);
	pstw_set_i4(p, MAPI_ID_CONTENT_COUNT, (int32_t)f->nrows);
	pstw_set_i4(p, MAPI_ID_CONTENT_UNREAD_COUNT, 0);
	pstw_set_bool(p, MAPI_ID_SUBFOLDERS, subs);
	if (f->cls != NULL)
		pstw_set_str(p, MAPI_ID_CONTAINER_CLASS, f->cls);
}

static void
folder_write(struct pstw *w, struct folder *f)
{
	struct pstw_props	  pc = { 0 }, **kids = NULL;
	struct node		  nd;
	struct prows		  pr;
	struct crows		  cr;
	uint32_t		  ctr = 0x401;
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
	nbt_add(w, pst_nid_sibling(f->nid, PST_NID_TYPE_HIERARCHY_TABLE), data,
	    node_finish(w, &nd), 0);
	for (i = 0; i < nk; i++) {
		props_free(kids[i]);
		free(kids[i]);
	}
	free(kids);
	free(ids);

	cr.f = f;
	data = tc_build(w, &nd, cols_contents, NITEMS(cols_contents), 0,
	    f->nrows, contents_row, &cr);
	nbt_add(w, pst_nid_sibling(f->nid, PST_NID_TYPE_CONTENTS_TABLE), data,
	    node_finish(w, &nd), 0);

	pr.p = NULL;
	pr.ids = NULL;
	data = tc_build(w, &nd, cols_fai, NITEMS(cols_fai), 0, 0, props_row,
	    &pr);
	nbt_add(w, pst_nid_sibling(f->nid, PST_NID_TYPE_ASSOC_CONTENTS_TABLE),
	    data, node_finish(w, &nd), 0);
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
	pstw_set_bin(&pc, MAPI_ID_RECORD_KEY, w->uid, 16);
	pstw_set_str(&pc, MAPI_ID_DISPLAY_NAME, w->name);
	pstw_set_i4(&pc, 0x0E38, 0);
	pstw_set_i4(&pc, MAPI_ID_VALID_FOLDER_MASK, 0x89);
	entryid(w, PST_NID_IPM_SUBTREE, eid);
	pstw_set_bin(&pc, MAPI_ID_IPM_SUBTREE_ENTRYID, eid, 24);
	entryid(w, PST_NID_WASTEBASKET, eid);
	pstw_set_bin(&pc, MAPI_ID_IPM_WASTEBASKET_ENTRYID, eid, 24);
	entryid(w, PST_NID_FINDER, eid);
	pstw_set_bin(&pc, MAPI_ID_FINDER_ENTRYID, eid, 24);
	pstw_set_bool(&pc, 0x6633, 1);
	pstw_set_i4(&pc, MAPI_ID_PST_PASSWORD, 0);
	data = pc_build(w, &nd, pc.v, pc.n, &total);
	nbt_add(w, PST_NID_MESSAGE_STORE, data, node_finish(w, &nd), 0);
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
			hash = pst_crc32(0, e->str, e->slen);
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
	pstw_set_i4(&pc, PST_NAMEMAP_BUCKETS_TAG, NBUCKETS);
	pstw_set_bin(&pc, PST_NAMEMAP_GUIDS, w->guids, w->nguids * 16);
	props_take(&pc, PST_NAMEMAP_ENTRIES, MAPI_PT_BINARY, ent, w->nnames * 8);
	props_take(&pc, PST_NAMEMAP_STRINGS, MAPI_PT_BINARY, str, slen);
	for (b = 0; b < NBUCKETS; b++)
		if (nbk[b] > 0)
			props_take(&pc, PST_NAMEMAP_BUCKET0 + b, MAPI_PT_BINARY, bk[b],
			    nbk[b] * 8);
	free(bk);
	free(nbk);
	data = pc_build(w, &nd, pc.v, pc.n, &total);
	nbt_add(w, PST_NID_NAME_TO_ID_MAP, data, node_finish(w, &nd), 0);
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
	const struct pst_layout	*l = w->l;
	size_t			 n = nbt ? w->nnbt : w->nbbt, i, j, k, x;
	size_t			 per, cb;
	uint64_t		*keys, *bids, *ibs, *nk;
	uint64_t		*nb, *ni, ib, bid;
	uint8_t			 pg[PST_PAGE_SIZE], *e;
	uint8_t			 ptype = nbt ? PST_PTYPE_NBT : PST_PTYPE_BBT;
	int			 level = 0;
	struct pst_btpage	 bp;
	struct pst_btentry	 be;
	struct pst_nbtentry	 ne;
	struct pst_bbtentry	 bb;

	keys = bids = ibs = NULL;
	for (;;) {
		cb = level > 0 ? l->bt_btentry : nbt ? l->bt_nbtentry :
		    l->bt_bbtentry;
		per = l->bt_entries_len / cb;
		k = n == 0 ? 1 : (n + per - 1) / per;
		nk = xreallocarray(NULL, k, sizeof *nk);
		nb = xreallocarray(NULL, k, sizeof *nb);
		ni = xreallocarray(NULL, k, sizeof *ni);
		for (i = 0; i < k; i++) {
			memset(pg, 0, sizeof pg);
			nk[i] = 0;
			for (j = 0; j < per && i * per + j < n; j++) {
				e = pg + j * cb;
				x = i * per + j;
				if (level > 0) {
					be.key = keys[x];
					be.bref.bid = bids[x];
					be.bref.ib = ibs[x];
					pst_btentry_put(l, e, &be);
					if (j == 0)
						nk[i] = be.key;
				} else if (nbt) {
					ne.nid = w->nbt[x].nid;
					ne.bid_data = w->nbt[x].data;
					ne.bid_sub = w->nbt[x].sub;
					ne.nid_parent = w->nbt[x].parent;
					pst_nbtentry_put(l, e, &ne);
					if (j == 0)
						nk[i] = ne.nid;
				} else {
					bb.bref.bid = w->bbt[x].bid;
					bb.bref.ib = w->bbt[x].ib;
					bb.cb = bb.cb_inflated = w->bbt[x].cb;
					bb.cref = w->bbt[x].cref;
					pst_bbtentry_put(l, e, &bb);
					if (j == 0)
						nk[i] = bb.bref.bid;
				}
			}
			bp.cent = j;
			bp.cent_max = per;
			bp.cb_ent = cb;
			bp.level = level;
			pst_btpage_put(l, pg, &bp);
			bid = w->nextpbid++;
			ib = alloc_space(w, l->page_size, l->page_size);
			page_seal(w, pg, ptype, pst_sig(ib, bid), bid);
			out_put(w, ib, pg, l->page_size);
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
    const struct pst_bref *nbt, const struct pst_bref *bbt)
{
	struct pst_header	h;
	uint8_t			b[PST_HEADER_MAX], pg[PST_PAGE_SIZE];
	size_t			i, len;
	unsigned		t;

	memset(&h, 0, sizeof h);
	/* rgnid: the blank-file values, raised to the last index used. */
	for (t = 0; t < PST_NID_HWM; t++)
		h.rgnid[t] = 0x400;
	h.rgnid[PST_NID_TYPE_SEARCH_FOLDER] = 0x4000;
	h.rgnid[PST_NID_TYPE_NORMAL_MESSAGE] = 0x10000;
	h.rgnid[PST_NID_TYPE_ASSOC_MESSAGE] = 0x8000;
	for (i = 0; i < w->nnbt; i++) {
		t = pst_nid_type(w->nbt[i].nid);
		if (pst_nid_index(w->nbt[i].nid) > h.rgnid[t])
			h.rgnid[t] = pst_nid_index(w->nbt[i].nid);
	}

	/* The DList: no entries; Outlook rebuilds it. */
	memset(pg, 0, sizeof pg);
	page_seal(w, pg, PST_PTYPE_DLIST, pst_sig(PST_DLIST_OFF, w->nextpbid),
	    w->nextpbid);
	write_at(w, PST_DLIST_OFF, pg, PST_PAGE_SIZE);

	h.magic = PST_MAGIC;
	h.magic_client = PST_MAGIC_CLIENT_PST;
	h.ver = w->l->kind == PST_ANSI ? PST_VER_ANSI14 : PST_VER_UNICODE;
	h.ver_client = PST_VER_CLIENT;
	h.platform_create = h.platform_access = 1;
	h.bid_next_p = w->nextpbid;
	h.bid_next_b = w->nextbid;
	h.unique = 1;
	h.root.file_eof = eof;
	h.root.amap_last = amaplast;
	h.root.amap_free = w->freeslots * PST_BLOCK_ALIGN;
	h.root.nbt = *nbt;
	h.root.bbt = *bbt;
	h.root.amap_valid = PST_AMAP_VALID2;
	memset(h.rgb_fm, 0xFF, sizeof h.rgb_fm);
	memset(h.rgb_fp, 0xFF, sizeof h.rgb_fp);
	h.sentinel = PST_SENTINEL;
	h.crypt = w->crypt;
	len = pst_header_put(&h, b);
	write_at(w, 0, b, len);
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

	table_node(w, PST_NID_HIERARCHY_TABLE_TEMPLATE, cols_hier,
	    NITEMS(cols_hier), NULL, NULL, 0);
	table_node(w, PST_NID_CONTENTS_TABLE_TEMPLATE, cols_contents,
	    NITEMS(cols_contents), NULL, NULL, 0);
	table_node(w, PST_NID_ASSOC_CONTENTS_TABLE_TEMPLATE, cols_fai,
	    NITEMS(cols_fai), NULL, NULL, 0);
	table_node(w, PST_NID_SEARCH_CONTENTS_TABLE_TEMPLATE, cols_search,
	    NITEMS(cols_search), NULL, NULL, 0);
	table_node(w, PST_NID_ATTACHMENT_TABLE, cols_att, NITEMS(cols_att),
	    NULL, NULL, 0);
	table_node(w, PST_NID_RECIPIENT_TABLE, cols_rcpt, NITEMS(cols_rcpt),
	    NULL, NULL, 0);
	/* The default receive folder (class "") is the root. */
	pstw_set_str(&recv, MAPI_ID_MESSAGE_CLASS, "");
	pstw_set_i4(&recv, 0x6605, PST_NID_ROOT_FOLDER);
	table_node(w, PST_NID_RECEIVE_FOLDER_TABLE, cols_recvfolder,
	    NITEMS(cols_recvfolder), rows, recvid, 1);
	props_free(&recv);
	table_node(w, PST_NID_OUTGOING_QUEUE_TABLE, cols_outqueue,
	    NITEMS(cols_outqueue), NULL, NULL, 0);
}

int
pstw_close(struct pstw *w, char **cause)
{
	struct pst_bref	nbt, bbt;
	uint64_t	n, eof, r, j;
	uint8_t		body[MAPBITS];
	size_t		i;
	int		rv = 0;

	for (i = 0; i < w->nfolders; i++)
		folder_write(w, &w->folders[i]);
	store_write(w);
	namemap_write(w);
	templates_write(w);
	qsort(w->nbt, w->nnbt, sizeof *w->nbt, nbt_cmp);
	/* Pages last: the BBT must list every block first. */
	btree_write(w, 0, &bbt.bid, &bbt.ib);
	btree_write(w, 1, &nbt.bid, &nbt.ib);
	region_finish(w);
	n = w->region;
	eof = PST_REGION0 + (n + 1) * PST_REGION_SIZE;
	/* ANSI files hold 32-bit offsets, and Outlook stops at 2 GB. */
	if (w->l->kind == PST_ANSI && eof > 0x80000000ULL && w->werr == 0)
		w->werr = EFBIG;
	for (r = 128; r <= n; r += MAPBITS) {
		for (j = 0; j < MAPBITS; j++)
			body[j] = r + j <= n ? w->maxfree[r + j] : 0;
		map_page(w, PST_REGION0 + r * PST_REGION_SIZE +
		    2 * PST_PAGE_SIZE, PST_PTYPE_FMAP, body);
	}
	header_write(w, eof, PST_REGION0 + n * PST_REGION_SIZE, &nbt, &bbt);
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
