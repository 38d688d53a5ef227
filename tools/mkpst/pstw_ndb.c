/* pstw_ndb.c: the PST writer's node database: output, regions and their
 * maps, blocks, data trees, subnodes, the B-trees and the header. */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pstw_int.h"
#include "pst/crc.h"
#include "pst/crypt.h"
#include "pst/format.h"
#include "xmalloc.h"


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
	uint64_t	s = (off - PST_REGION0 -
			    w->region * PST_REGION_SIZE) / 64;
	uint64_t	e = s + (size + 63) / 64;

	for (; s < e; s++)
		w->amap[s / 8] |= 0x80 >> (s % 8);
}

void
pstw_region_start(struct pstw *w, uint64_t n)
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
void
pstw_map_page(struct pstw *w, uint64_t ib, uint8_t ptype, const uint8_t *body)
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
void
pstw_region_finish(struct pstw *w)
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
	pstw_map_page(w, start, PST_PTYPE_AMAP, w->amap);
	memset(ff, 0xFF, sizeof ff);
	if (w->region % 8 == 0)
		pstw_map_page(w, start + PST_PAGE_SIZE, PST_PTYPE_PMAP, ff);
	if (w->region >= 8192 && (w->region - 8192) % 31744 == 0)
		pstw_map_page(w, start + 2 * PST_PAGE_SIZE, PST_PTYPE_FPMAP,
		    ff);
}

static uint64_t
alloc_space(struct pstw *w, uint64_t size, uint64_t align)
{
	uint64_t	off = (w->next + align - 1) & ~(align - 1);

	if (off + size > PST_REGION0 + (w->region + 1) * PST_REGION_SIZE) {
		pstw_region_finish(w);
		pstw_region_start(w, w->region + 1);
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
	uint64_t		 bid = w->nextbid |
				    (internal ? PST_BID_INTERNAL : 0);
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

void
pstw_dt_add(struct pstw *w, struct dtree *t, const void *data, size_t cb)
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
uint64_t
pstw_dt_finish(struct pstw *w, struct dtree *t)
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

uint64_t
pstw_data_write(struct pstw *w, const void *data, size_t len)
{
	struct dtree	 t = { 0 };
	const uint8_t	*p = data;
	size_t		 n;

	while (len > 0) {
		n = len > w->blkdata ? w->blkdata : len;
		pstw_dt_add(w, &t, p, n);
		p += n;
		len -= n;
	}
	return pstw_dt_finish(w, &t);
}

/* Subnode trees. */

uint32_t
pstw_node_nid(struct node *nd, uint8_t type)
{
	return pst_nid_make(type, (*nd->ctr)++);
}

void
pstw_node_add(struct node *nd, uint32_t nid, uint64_t data, uint64_t sub)
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
uint64_t
pstw_node_finish(struct pstw *w, struct node *nd)
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

/* NBT and bookkeeping. */

void
pstw_nbt_add(struct pstw *w, uint32_t nid, uint64_t data, uint64_t sub,
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

/* Bulk-load a B-tree of pages bottom-up from sorted leaf entries. */
void
pstw_btree_write(struct pstw *w, int nbt, uint64_t *rootbid, uint64_t *rootib)
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

void
pstw_header_write(struct pstw *w, uint64_t eof, uint64_t amaplast,
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
