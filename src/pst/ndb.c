/* ndb.c: the node database: B-trees, blocks, data trees, subnode trees
 * and the parent -> children index. */
#include <sys/types.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "xmalloc.h"
#include "pst/crc.h"
#include "pst/crypt.h"
#include "pst/pstint.h"

#define BT_MAX_DEPTH	16	/* B-tree levels; real files have 2-4 */
#define BID_KEY(b)	((b) & ~PST_BID_RESERVED)

/* One page still to visit: where, and what it must hold. */
struct walk {
	struct pst_bref	bref;
	uint64_t	lo;		/* keys >= lo */
	uint64_t	hi;		/* keys < hi, or hi_open */
	int		hi_open;
	int		level;		/* required cLevel, -1 for the root */
};

static int	bt_load(struct pst *, int, char **);
static int	bt_page(struct pst *, int, const struct walk *, uint8_t *,
		    struct walk **, size_t *, size_t *, char **);
static void	add_node(struct pst *, const struct pst_nbtentry *);
static void	add_block(struct pst *, const struct pst_bbtentry *);
static const struct pst_bent *block_find(const struct pst *, uint64_t);
static ssize_t	node_index(const struct pst *, uint32_t);
static int	block_decode(struct pst *, const struct pst_bent *, uint8_t *,
		    uint8_t **, size_t *, char **);
static int	xblock_read(struct pst *, uint64_t, int, struct pst_data *,
		    uint32_t *, char **);
static void	seg_add(struct pst_data *, uint8_t *, size_t);
static int	sl_read(struct pst *, uint64_t, int, struct pst_subnode **,
		    size_t *, size_t *, char **);
static void	hier_build(struct pst *);

int
pst_ndb_load(struct pst *f, char **cause)
{
	char	*why = NULL;

	if (bt_load(f, PST_PTYPE_NBT, &why) != 0) {
		pst_err(cause, "node B-tree: %s", why);
		free(why);
		return -1;
	}
	if (bt_load(f, PST_PTYPE_BBT, &why) != 0) {
		pst_err(cause, "block B-tree: %s", why);
		free(why);
		return -1;
	}
	/* Grown by doubling: give back the spare room, up to half of
	 * what they hold for the whole read (12 of 16 MB at 100k items). */
	if (f->nnodes > 0 && f->nnodes < f->nodes_cap) {
		f->nodes = xreallocarray(f->nodes, f->nnodes, sizeof *f->nodes);
		f->nodes_cap = f->nnodes;
	}
	if (f->nblocks > 0 && f->nblocks < f->blocks_cap) {
		f->blocks = xreallocarray(f->blocks, f->nblocks,
		    sizeof *f->blocks);
		f->blocks_cap = f->nblocks;
	}
	return 0;
}

void
pst_ndb_free(struct pst *f)
{
	free(f->nodes);
	free(f->blocks);
	free(f->kids);
	free(f->kid_first);
	free(f->kid_count);
	free(f->orphans);
}

/*
 * Walk one B-tree iteratively from the header's reference, checking every
 * page, and collect its leaf entries, which come out in key order.
 */
static int
bt_load(struct pst *f, int ptype, char **cause)
{
	const struct pst_layout	*l = f->l;
	struct walk		*stack, w;
	size_t			 sp = 1, cap = 16, npages = 0, maxpages;
	size_t			 nout = 0;
	uint8_t			*page;
	int			 rc = 0;

	maxpages = (size_t)(f->size / l->page_size) + 1;
	stack = xreallocarray(NULL, cap, sizeof *stack);
	memset(&stack[0], 0, sizeof stack[0]);
	stack[0].bref = ptype == PST_PTYPE_NBT ? f->hdr.root.nbt :
	    f->hdr.root.bbt;
	stack[0].hi_open = 1;
	stack[0].level = -1;
	page = xmalloc(l->page_size);
	while (sp > 0) {
		w = stack[--sp];
		if (++npages > maxpages) {
			pst_err(cause, "more pages than the file can hold");
			rc = -1;
			break;
		}
		if (bt_page(f, ptype, &w, page, &stack, &sp, &cap, cause) !=
		    0) {
			rc = -1;
			break;
		}
	}
	free(stack);
	free(page);
	if (rc != 0)
		return -1;
	/* Leaves arrive in key order; keep the invariant explicit. */
	if (ptype == PST_PTYPE_NBT) {
		for (nout = 1; nout < f->nnodes; nout++)
			if (f->nodes[nout].nid <= f->nodes[nout - 1].nid) {
				pst_err(cause, "NIDs out of order");
				return -1;
			}
	} else {
		for (nout = 1; nout < f->nblocks; nout++)
			if (f->blocks[nout].bid <= f->blocks[nout - 1].bid) {
				pst_err(cause, "BIDs out of order");
				return -1;
			}
	}
	return 0;
}

static int
bt_page(struct pst *f, int ptype, const struct walk *w, uint8_t *page,
    struct walk **stack, size_t *sp, size_t *cap, char **cause)
{
	const struct pst_layout	*l = f->l;
	struct pst_ptrailer	 t;
	struct pst_btpage	 b;
	struct pst_btentry	 be;
	struct pst_nbtentry	 ne;
	struct pst_bbtentry	 bb;
	size_t			 want, i, base;
	uint64_t		 key, prev = 0;
	uint32_t		 crc;
	char			*why = NULL;

	if (pst_file_read(f, w->bref.ib, l->page_size, page, &why) != 0) {
		pst_err(cause, "page 0x%llx: %s",
		    (unsigned long long)w->bref.ib, why);
		free(why);
		return -1;
	}
	pst_ptrailer_get(l, page, &t);
	if (t.ptype != ptype || t.ptype_repeat != ptype) {
		pst_err(cause, "page at 0x%llx has type 0x%02x/0x%02x, not "
		    "0x%02x", (unsigned long long)w->bref.ib, t.ptype,
		    t.ptype_repeat, ptype);
		return -1;
	}
	if (t.bid != w->bref.bid) {
		pst_err(cause, "page at 0x%llx has BID 0x%llx, reached by "
		    "0x%llx", (unsigned long long)w->bref.ib,
		    (unsigned long long)t.bid,
		    (unsigned long long)w->bref.bid);
		return -1;
	}
	crc = pst_crc32(0, page, l->page_crc_len);
	if (t.crc != crc) {
		pst_err(cause, "page at 0x%llx: checksum 0x%08x, computed "
		    "0x%08x", (unsigned long long)w->bref.ib, t.crc, crc);
		return -1;
	}
	pst_btpage_get(l, page, &b);
	if (w->level >= 0 ? b.level != w->level : b.level > BT_MAX_DEPTH) {
		pst_err(cause, "page at 0x%llx has level %u where %d belongs",
		    (unsigned long long)w->bref.ib, b.level, w->level);
		return -1;
	}
	want = b.level > 0 ? l->bt_btentry : ptype == PST_PTYPE_NBT ?
	    l->bt_nbtentry : l->bt_bbtentry;
	if (b.cb_ent != want || b.cent > b.cent_max ||
	    (size_t)b.cent * want > l->bt_entries_len ||
	    (b.cent == 0 && w->level >= 0)) {
		pst_err(cause, "page at 0x%llx: %u entries of %u bytes (max "
		    "%u) do not fit", (unsigned long long)w->bref.ib, b.cent,
		    b.cb_ent, b.cent_max);
		return -1;
	}
	base = *sp;
	for (i = 0; i < b.cent; i++) {
		const uint8_t *p = page + i * want;

		if (b.level > 0) {
			pst_btentry_get(l, p, &be);
			key = be.key;
		} else if (ptype == PST_PTYPE_NBT) {
			pst_nbtentry_get(l, p, &ne);
			key = ne.nid;
		} else {
			pst_bbtentry_get(l, p, &bb);
			key = BID_KEY(bb.bref.bid);
		}
		if ((i > 0 && key <= prev) || key < w->lo ||
		    (!w->hi_open && key >= w->hi)) {
			pst_err(cause, "page at 0x%llx: key 0x%llx out of "
			    "order or outside its parent's range",
			    (unsigned long long)w->bref.ib,
			    (unsigned long long)key);
			return -1;
		}
		prev = key;
		if (b.level == 0) {
			if (ptype == PST_PTYPE_NBT)
				add_node(f, &ne);
			else
				add_block(f, &bb);
			continue;
		}
		if (*sp == *cap) {
			*cap *= 2;
			*stack = xreallocarray(*stack, *cap, sizeof **stack);
		}
		memset(&(*stack)[*sp], 0, sizeof **stack);
		(*stack)[*sp].bref = be.bref;
		(*stack)[*sp].lo = key;
		(*stack)[*sp].level = b.level - 1;
		if (*sp > base) {
			(*stack)[*sp - 1].hi = key;
			(*stack)[*sp - 1].hi_open = 0;
		}
		(*stack)[*sp].hi = w->hi;
		(*stack)[*sp].hi_open = w->hi_open;
		(*sp)++;
	}
	/* Children were pushed in key order; pop them in key order. */
	for (i = 0; i < (*sp - base) / 2; i++) {
		struct walk tmp = (*stack)[base + i];

		(*stack)[base + i] = (*stack)[*sp - 1 - i];
		(*stack)[*sp - 1 - i] = tmp;
	}
	return 0;
}

static void
add_node(struct pst *f, const struct pst_nbtentry *e)
{
	struct pst_node	*n;

	if (f->nnodes == f->nodes_cap) {
		f->nodes_cap = f->nodes_cap ? f->nodes_cap * 2 : 256;
		f->nodes = xreallocarray(f->nodes, f->nodes_cap,
		    sizeof *f->nodes);
	}
	n = &f->nodes[f->nnodes++];
	n->nid = e->nid;
	n->parent = e->nid_parent;
	n->bid_data = e->bid_data;
	n->bid_sub = e->bid_sub;
}

static void
add_block(struct pst *f, const struct pst_bbtentry *e)
{
	struct pst_bent	*b;

	if (f->nblocks == f->blocks_cap) {
		f->blocks_cap = f->blocks_cap ? f->blocks_cap * 2 : 256;
		f->blocks = xreallocarray(f->blocks, f->blocks_cap,
		    sizeof *f->blocks);
	}
	b = &f->blocks[f->nblocks++];
	b->bid = BID_KEY(e->bref.bid);
	b->ib = e->bref.ib;
	b->cb = e->cb;
	b->cb_inflated = e->cb_inflated;
}

const struct pst_node *
pst_nodes(const struct pst *f, size_t *n)
{
	*n = f->nnodes;
	return f->nodes;
}

static ssize_t
node_index(const struct pst *f, uint32_t nid)
{
	size_t	lo = 0, hi = f->nnodes, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (f->nodes[mid].nid == nid)
			return (ssize_t)mid;
		if (f->nodes[mid].nid < nid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

const struct pst_node *
pst_node_find(const struct pst *f, uint32_t nid)
{
	ssize_t	i = node_index(f, nid);

	return i < 0 ? NULL : &f->nodes[i];
}

size_t
pst_block_count(const struct pst *f)
{
	return f->nblocks;
}

static const struct pst_bent *
block_find(const struct pst *f, uint64_t bid)
{
	size_t	lo = 0, hi = f->nblocks, mid;

	bid = BID_KEY(bid);
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (f->blocks[mid].bid == bid)
			return &f->blocks[mid];
		if (f->blocks[mid].bid < bid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int
pst_block_read(struct pst *f, uint64_t bid, uint8_t **out, size_t *len,
    char **cause)
{
	const struct pst_layout	*l = f->l;
	const struct pst_bent	*e;
	struct pst_btrailer	 t;
	uint8_t			*buf;
	size_t			 size;
	uint32_t		 crc;
	char			*why = NULL;

	*out = NULL;
	*len = 0;
	if ((e = block_find(f, bid)) == NULL) {
		pst_err(cause, "block 0x%llx is not in the block B-tree",
		    (unsigned long long)bid);
		return -1;
	}
	size = pst_block_size(l, e->cb);
	if (size > l->block_max) {
		pst_err(cause, "block 0x%llx: size %u too large",
		    (unsigned long long)bid, e->cb);
		return -1;
	}
	buf = xmalloc(size);
	if (pst_file_read(f, e->ib, size, buf, &why) != 0) {
		pst_err(cause, "block 0x%llx: %s", (unsigned long long)bid,
		    why);
		free(why);
		free(buf);
		return -1;
	}
	pst_btrailer_get(l, buf + size - l->block_trailer, &t);
	if (t.cb != e->cb || BID_KEY(t.bid) != e->bid) {
		pst_err(cause, "block 0x%llx: trailer says %u bytes of block "
		    "0x%llx, the index %u bytes", (unsigned long long)bid,
		    t.cb, (unsigned long long)t.bid, e->cb);
		free(buf);
		return -1;
	}
	crc = pst_crc32(0, buf, e->cb);
	if (t.crc != 0 && t.crc != crc) {
		pst_err(cause, "block 0x%llx: checksum 0x%08x, computed "
		    "0x%08x", (unsigned long long)bid, t.crc, crc);
		free(buf);
		return -1;
	}
	if (l->kind == PST_UNICODE4K && t.cb_inflated != e->cb_inflated) {
		pst_err(cause, "block 0x%llx: inflated size %u in the trailer, "
		    "%u in the index", (unsigned long long)bid,
		    t.cb_inflated, e->cb_inflated);
		free(buf);
		return -1;
	}
	return block_decode(f, e, buf, out, len, cause);
}

/* Decode an external block's bytes, then inflate a compressed 4K one. */
static int
block_decode(struct pst *f, const struct pst_bent *e, uint8_t *buf,
    uint8_t **out, size_t *len, char **cause)
{
	uLongf	 dlen;
	uint8_t	*z;
	int	 zr;

	if (!(e->bid & PST_BID_INTERNAL)) {
		if (f->hdr.crypt == PST_CRYPT_PERMUTE)
			pst_permute_decode(buf, e->cb);
		else if (f->hdr.crypt == PST_CRYPT_CYCLIC)
			pst_cyclic(buf, e->cb, (uint32_t)e->bid);
	}
	if (f->l->kind != PST_UNICODE4K || e->cb_inflated == e->cb ||
	    e->cb == 0) {
		*out = buf;
		*len = e->cb;
		return 0;
	}
	z = xmalloc(e->cb_inflated ? e->cb_inflated : 1);
	dlen = e->cb_inflated;
	zr = uncompress(z, &dlen, buf, e->cb);
	free(buf);
	if (zr != Z_OK || dlen != e->cb_inflated) {
		pst_err(cause, "block 0x%llx: does not inflate to %u bytes "
		    "(zlib %d)", (unsigned long long)e->bid, e->cb_inflated,
		    zr);
		free(z);
		return -1;
	}
	*out = z;
	*len = dlen;
	return 0;
}

static void
seg_add(struct pst_data *d, uint8_t *p, size_t len)
{
	if ((d->nseg & (d->nseg + 1)) == 0 || d->nseg == 0)
		d->seg = xreallocarray(d->seg, d->nseg * 2 + 2, sizeof *d->seg);
	d->seg[d->nseg].p = p;
	d->seg[d->nseg].len = len;
	d->nseg++;
	d->total += len;
}

int
pst_data_read(struct pst *f, uint64_t bid, struct pst_data *d, char **cause)
{
	uint8_t	*p;
	size_t	 len;
	uint32_t total = 0;

	memset(d, 0, sizeof *d);
	if (bid == 0)
		return 0;
	if (!(bid & PST_BID_INTERNAL)) {
		if (pst_block_read(f, bid, &p, &len, cause) != 0)
			return -1;
		seg_add(d, p, len);
		return 0;
	}
	if (xblock_read(f, bid, 0, d, &total, cause) != 0) {
		pst_data_free(d);
		return -1;
	}
	return 0;
}

/* An XBLOCK (level 1) or XXBLOCK (level 2); depth 0 is the top. */
static int
xblock_read(struct pst *f, uint64_t bid, int depth, struct pst_data *d,
    uint32_t *sum, char **cause)
{
	const struct pst_layout	*l = f->l;
	struct pst_xblock	 x;
	uint8_t			*p, *leaf;
	size_t			 len, llen, i;
	uint64_t		 cbid;
	uint32_t		 mine = 0;

	if (pst_block_read(f, bid, &p, &len, cause) != 0)
		return -1;
	if (len < PST_XBLOCK_HDR) {
		pst_err(cause, "data tree block 0x%llx too short",
		    (unsigned long long)bid);
		goto bad;
	}
	pst_xblock_get(p, &x);
	if (x.btype != PST_BTYPE_XBLOCK || x.level < 1 || x.level > 2 ||
	    (depth > 0 && x.level != 1) ||
	    PST_XBLOCK_HDR + (size_t)x.cent * l->xblock_bid > len) {
		pst_err(cause, "data tree block 0x%llx: type %u level %u with "
		    "%u entries is not a valid XBLOCK", (unsigned long long)bid,
		    x.btype, x.level, x.cent);
		goto bad;
	}
	for (i = 0; i < x.cent; i++) {
		cbid = pst_bid_get(l, p + PST_XBLOCK_HDR + i * l->xblock_bid);
		if (x.level == 2) {
			if (!(cbid & PST_BID_INTERNAL) ||
			    xblock_read(f, cbid, depth + 1, d, &mine, cause) !=
			    0) {
				if (!(cbid & PST_BID_INTERNAL))
					pst_err(cause, "XXBLOCK 0x%llx points "
					    "at a data block",
					    (unsigned long long)bid);
				goto bad;
			}
			continue;
		}
		if (cbid & PST_BID_INTERNAL) {
			pst_err(cause, "XBLOCK 0x%llx points at an internal "
			    "block", (unsigned long long)bid);
			goto bad;
		}
		if (pst_block_read(f, cbid, &leaf, &llen, cause) != 0)
			goto bad;
		if (llen > UINT32_MAX - mine) {
			free(leaf);
			pst_err(cause, "XBLOCK 0x%llx too large",
			    (unsigned long long)bid);
			goto bad;
		}
		mine += (uint32_t)llen;
		seg_add(d, leaf, llen);
	}
	if (mine != x.lcb_total) {
		pst_err(cause, "data tree block 0x%llx: %u bytes, lcbTotal "
		    "says %u", (unsigned long long)bid, mine, x.lcb_total);
		goto bad;
	}
	if (mine > UINT32_MAX - *sum) {
		pst_err(cause, "data tree too large");
		goto bad;
	}
	*sum += mine;
	free(p);
	return 0;
bad:
	free(p);
	return -1;
}

void
pst_data_free(struct pst_data *d)
{
	size_t	i;

	for (i = 0; i < d->nseg; i++)
		free(d->seg[i].p);
	free(d->seg);
	memset(d, 0, sizeof *d);
}

int
pst_data_flat(const struct pst_data *d, uint8_t **out, size_t *len)
{
	size_t	i, o = 0;

	*out = xmalloc(d->total + 1);
	for (i = 0; i < d->nseg; i++) {
		memcpy(*out + o, d->seg[i].p, d->seg[i].len);
		o += d->seg[i].len;
	}
	(*out)[o] = 0;
	*len = o;
	return 0;
}

int
pst_subnodes_read(struct pst *f, uint64_t bid, struct pst_subnode **out,
    size_t *n, char **cause)
{
	size_t	cap = 0, i;

	*out = NULL;
	*n = 0;
	if (bid == 0)
		return 0;
	if (sl_read(f, bid, 0, out, n, &cap, cause) != 0)
		goto bad;
	for (i = 1; i < *n; i++)
		if ((*out)[i].nid <= (*out)[i - 1].nid) {
			pst_err(cause, "subnode tree 0x%llx: NIDs out of order",
			    (unsigned long long)bid);
			goto bad;
		}
	return 0;
bad:
	free(*out);
	*out = NULL;
	*n = 0;
	return -1;
}

/* An SLBLOCK (level 0) or SIBLOCK (level 1, only at the top). */
static int
sl_read(struct pst *f, uint64_t bid, int depth, struct pst_subnode **out,
    size_t *n, size_t *cap, char **cause)
{
	const struct pst_layout	*l = f->l;
	struct pst_slblock	 s;
	struct pst_slentry	 se;
	struct pst_sientry	 si;
	uint8_t			*p;
	size_t			 len, i, esz;

	if (!(bid & PST_BID_INTERNAL)) {
		pst_err(cause, "subnode tree 0x%llx is a data block",
		    (unsigned long long)bid);
		return -1;
	}
	if (pst_block_read(f, bid, &p, &len, cause) != 0)
		return -1;
	if (len < l->sl_hdr)
		goto bad;
	pst_slblock_get(p, &s);
	esz = s.level == 0 ? l->slentry : l->sientry;
	if (s.btype != PST_BTYPE_SLBLOCK || s.level > 1 ||
	    (depth > 0 && s.level != 0) ||
	    l->sl_hdr + (size_t)s.cent * esz > len)
		goto bad;
	for (i = 0; i < s.cent; i++) {
		const uint8_t *e = p + l->sl_hdr + i * esz;

		if (s.level == 1) {
			pst_sientry_get(l, e, &si);
			if (sl_read(f, si.bid, depth + 1, out, n, cap, cause) !=
			    0) {
				free(p);
				return -1;
			}
			continue;
		}
		pst_slentry_get(l, e, &se);
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 16;
			*out = xreallocarray(*out, *cap, sizeof **out);
		}
		(*out)[*n].nid = se.nid;
		(*out)[*n].bid_data = se.bid_data;
		(*out)[*n].bid_sub = se.bid_sub;
		(*n)++;
	}
	free(p);
	return 0;
bad:
	pst_err(cause, "subnode tree block 0x%llx is not a valid SLBLOCK or "
	    "SIBLOCK", (unsigned long long)bid);
	free(p);
	return -1;
}

const struct pst_subnode *
pst_subnode_find(const struct pst_subnode *v, size_t n, uint32_t nid)
{
	size_t	lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v[mid].nid == nid)
			return &v[mid];
		if (v[mid].nid < nid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Parent -> children by a counting sort over the sorted node array. */
static void
hier_build(struct pst *f)
{
	size_t	 i, *cur, nor = 0;
	ssize_t	 j;
	size_t	*pidx;

	f->kid_first = xcalloc(f->nnodes + 1, sizeof *f->kid_first);
	f->kid_count = xcalloc(f->nnodes + 1, sizeof *f->kid_count);
	pidx = xcalloc(f->nnodes + 1, sizeof *pidx);
	for (i = 0; i < f->nnodes; i++) {
		const struct pst_node *n = &f->nodes[i];

		pidx[i] = SIZE_MAX;
		if (n->parent == 0 || n->parent == n->nid)
			continue;
		if ((j = node_index(f, n->parent)) < 0) {
			nor++;
			continue;
		}
		pidx[i] = (size_t)j;
		f->kid_count[j]++;
	}
	for (i = 1; i <= f->nnodes; i++)
		f->kid_first[i] = f->kid_first[i - 1] + f->kid_count[i - 1];
	f->kids = xcalloc(f->kid_first[f->nnodes] + 1, sizeof *f->kids);
	f->orphans = xcalloc(nor + 1, sizeof *f->orphans);
	cur = xcalloc(f->nnodes + 1, sizeof *cur);
	for (i = 0; i < f->nnodes; i++) {
		const struct pst_node *n = &f->nodes[i];

		if (pidx[i] != SIZE_MAX) {
			j = (ssize_t)pidx[i];
			f->kids[f->kid_first[j] + cur[j]++] = n->nid;
		} else if (n->parent != 0 && n->parent != n->nid)
			f->orphans[f->norphans++] = n->nid;
	}
	free(cur);
	free(pidx);
	f->hier_built = 1;
}

const uint32_t *
pst_children(struct pst *f, uint32_t nid, size_t *n)
{
	ssize_t	i;

	if (!f->hier_built)
		hier_build(f);
	if ((i = node_index(f, nid)) < 0) {
		*n = 0;
		return f->kids;
	}
	*n = f->kid_count[i];
	return f->kids + f->kid_first[i];
}

const uint32_t *
pst_orphans(struct pst *f, size_t *n)
{
	if (!f->hier_built)
		hier_build(f);
	*n = f->norphans;
	return f->orphans;
}
