/* ltp.c: heap-on-node, BTH, property and table contexts, named props. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "le.h"
#include "text.h"
#include "xmalloc.h"
#include "pst/mapi.h"
#include "pst/pstint.h"

/* A node opened for the LTP layer: its heap and its subnodes. */
struct hn {
	struct pst		*f;
	uint32_t		 nid;
	struct pst_data		 d;
	struct pst_subnode	*sub;
	size_t			 nsub;
	uint8_t			 client_sig;
	uint32_t		 user_root;
	uint8_t			**owned;	/* subnode values handed out */
	size_t			 nowned;
};

/* A BTH leaf record: key and data point into the heap. */
struct bthrec {
	const uint8_t	*p;
};

struct pst_pc {
	struct hn	 hn;
	const uint8_t	**rec;		/* 8-byte records, ascending id */
	size_t		 nrec;
};

struct pst_tc {
	struct hn		 hn;
	struct pst_tcinfo	 ti;
	struct pst_tcoldesc	*cols;
	const uint8_t		**rowp;	/* start of each row */
	size_t			 nrows;
	struct pst_data		 rowdata;	/* rows kept in a subnode */
};

#define BTH_MAX_RECS	(1u << 24)

static int	hn_open(struct pst *, uint32_t, uint64_t, uint64_t, uint8_t,
		    struct hn *, char **);
static void	hn_free(struct hn *);
static int	hn_get(struct hn *, uint32_t, const uint8_t **, size_t *,
		    char **);
static int	hnid_get(struct hn *, uint32_t, const uint8_t **, size_t *,
		    char **);
static int	bth_read(struct hn *, uint32_t, unsigned, unsigned,
		    const uint8_t ***, size_t *, char **);
static int	bth_level(struct hn *, uint32_t, unsigned, unsigned, unsigned,
		    const uint8_t ***, size_t *, size_t *, size_t *, char **);
static int	pc_value(struct pst_pc *, const uint8_t *, struct pst_prop *,
		    char **);
static int	fixed_size(uint16_t);
static uint32_t	bth_key(const uint8_t *, unsigned);
static int	cmp_key16(const void *, const void *);
static int	cmp_key32(const void *, const void *);
static int	node_bids(struct pst *, uint32_t, uint64_t *, uint64_t *,
		    char **);
static int	sub_bids(struct pst_pc *, uint32_t, uint64_t *, uint64_t *,
		    char **);
static int	pc_from(struct pst *, uint32_t, uint64_t, uint64_t,
		    struct pst_pc **, char **);
static int	tc_from(struct pst *, uint32_t, uint64_t, uint64_t,
		    struct pst_tc **, char **);

static int
hn_open(struct pst *f, uint32_t nid, uint64_t bid_data, uint64_t bid_sub,
    uint8_t client, struct hn *h, char **cause)
{
	struct pst_hnhdr	 hh;
	char			*why = NULL;

	memset(h, 0, sizeof *h);
	h->f = f;
	h->nid = nid;
	if (pst_data_read(f, bid_data, &h->d, &why) != 0) {
		pst_err(cause, "node 0x%x: %s", nid, why);
		free(why);
		return -1;
	}
	if (h->d.nseg == 0 || h->d.seg[0].len < PST_HNHDR_SIZE) {
		pst_err(cause, "node 0x%x has no heap", nid);
		goto bad;
	}
	pst_hnhdr_get(h->d.seg[0].p, &hh);
	if (hh.sig != PST_HN_SIG || hh.client_sig != client) {
		pst_err(cause, "node 0x%x: heap signature 0x%02x/0x%02x, not "
		    "0xec/0x%02x", nid, hh.sig, hh.client_sig, client);
		goto bad;
	}
	h->client_sig = hh.client_sig;
	h->user_root = hh.hid_user_root;
	if (pst_subnodes_read(f, bid_sub, &h->sub, &h->nsub, &why) != 0) {
		pst_err(cause, "node 0x%x: %s", nid, why);
		free(why);
		goto bad;
	}
	return 0;
bad:
	pst_data_free(&h->d);
	return -1;
}

static void
hn_free(struct hn *h)
{
	size_t	i;

	for (i = 0; i < h->nowned; i++)
		free(h->owned[i]);
	free(h->owned);
	free(h->sub);
	pst_data_free(&h->d);
}

/* One heap allocation: block and index from the HID, the page map of
 * that block gives its bounds. HID 0 is an empty value. */
static int
hn_get(struct hn *h, uint32_t hid, const uint8_t **p, size_t *len,
    char **cause)
{
	const struct pst_layout	*l = h->f->l;
	struct pst_hnpagemap	 m;
	const uint8_t		*b;
	uint32_t		 blk, idx;
	size_t			 blen, ib, start, end;

	*p = NULL;
	*len = 0;
	if (hid == 0)
		return 0;
	blk = pst_hid_block(l, hid);
	idx = pst_hid_index(l, hid);
	if (!pst_hnid_is_hid(hid) || blk >= h->d.nseg || idx == 0) {
		pst_err(cause, "node 0x%x: heap id 0x%x does not exist",
		    h->nid, hid);
		return -1;
	}
	b = h->d.seg[blk].p;
	blen = h->d.seg[blk].len;
	if (blen < 2 || (ib = le_get16(b)) > blen ||
	    blen - ib < PST_HNPAGEMAP_HDR) {
		pst_err(cause, "node 0x%x: heap block %u has no page map",
		    h->nid, blk);
		return -1;
	}
	pst_hnpagemap_get(b + ib, &m);
	if (idx > m.calloc ||
	    (blen - ib - PST_HNPAGEMAP_HDR) / 2 < (size_t)m.calloc + 1) {
		pst_err(cause, "node 0x%x: heap id 0x%x beyond the %u "
		    "allocations of block %u", h->nid, hid, m.calloc, blk);
		return -1;
	}
	start = le_get16(b + ib + PST_HNPAGEMAP_HDR + 2 * (idx - 1));
	end = le_get16(b + ib + PST_HNPAGEMAP_HDR + 2 * idx);
	if (start > end || end > ib || start < pst_hn_block_hdr_size(blk)) {
		pst_err(cause, "node 0x%x: heap id 0x%x spans %zu..%zu outside "
		    "its block", h->nid, hid, start, end);
		return -1;
	}
	*p = b + start;
	*len = end - start;
	return 0;
}

/* An HNID: a heap item, or a subnode whose data tree is the value. */
static int
hnid_get(struct hn *h, uint32_t hnid, const uint8_t **p, size_t *len,
    char **cause)
{
	const struct pst_subnode	*s;
	struct pst_data			 d;
	uint8_t				*flat;
	char				*why = NULL;

	if (pst_hnid_is_hid(hnid))
		return hn_get(h, hnid, p, len, cause);
	if ((s = pst_subnode_find(h->sub, h->nsub, hnid)) == NULL) {
		pst_err(cause, "node 0x%x: subnode 0x%x does not exist",
		    h->nid, hnid);
		return -1;
	}
	if (pst_data_read(h->f, s->bid_data, &d, &why) != 0) {
		pst_err(cause, "node 0x%x: subnode 0x%x: %s", h->nid, hnid,
		    why);
		free(why);
		return -1;
	}
	pst_data_flat(&d, &flat, len);
	pst_data_free(&d);
	h->owned = xreallocarray(h->owned, h->nowned + 1, sizeof *h->owned);
	h->owned[h->nowned++] = flat;
	*p = flat;
	return 0;
}

/* All leaf records of a BTH, in key order (checked ascending). */
static int
bth_read(struct hn *h, uint32_t hid, unsigned cbkey, unsigned cbent,
    const uint8_t ***out, size_t *n, char **cause)
{
	struct pst_bthheader	 bh;
	const uint8_t		*p;
	size_t			 len, cap = 0, i, k, budget;
	uint32_t		 a, b;

	*out = NULL;
	*n = 0;
	if (hn_get(h, hid, &p, &len, cause) != 0)
		return -1;
	if (len < PST_BTHHEADER_SIZE) {
		pst_err(cause, "node 0x%x: BTH header too short", h->nid);
		return -1;
	}
	pst_bthheader_get(p, &bh);
	if (bh.btype != PST_HN_CLIENT_BTH || bh.cb_key != cbkey ||
	    (cbent != 0 && bh.cb_ent != cbent) || bh.cb_ent == 0 ||
	    bh.idx_levels > PST_BTH_MAX_LEVELS) {
		pst_err(cause, "node 0x%x: BTH type 0x%02x, key %u, data %u, "
		    "%u levels not as expected", h->nid, bh.btype, bh.cb_key,
		    bh.cb_ent, bh.idx_levels);
		return -1;
	}
	if (bh.hid_root == 0)
		return 0;
	/* Every allocation of a sound tree is visited once, and holds at
	 * least one record: a bound on the walk whatever the HIDs say. */
	budget = h->d.total / (cbkey + 1) + 16;
	if (bth_level(h, bh.hid_root, bh.idx_levels, cbkey, bh.cb_ent, out,
	    n, &cap, &budget, cause) != 0) {
		free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	/* Some writers (Aspose) leave leaf records unsorted: sort them,
	 * and keep one record per key. */
	for (i = 1; i < *n; i++) {
		a = bth_key((*out)[i - 1], cbkey);
		b = bth_key((*out)[i], cbkey);
		if (b <= a)
			break;
	}
	if (i < *n) {
		qsort(*out, *n, sizeof **out, cbkey == 2 ? cmp_key16 :
		    cmp_key32);
		for (i = 1, k = 1; i < *n; i++)
			if (bth_key((*out)[i], cbkey) !=
			    bth_key((*out)[k - 1], cbkey))
				(*out)[k++] = (*out)[i];
		*n = k;
	}
	return 0;
}

static uint32_t
bth_key(const uint8_t *p, unsigned cbkey)
{
	return cbkey == 2 ? le_get16(p) : le_get32(p);
}

static int
cmp_key16(const void *a, const void *b)
{
	uint16_t	x = le_get16(*(const uint8_t *const *)a);
	uint16_t	y = le_get16(*(const uint8_t *const *)b);

	return x < y ? -1 : x > y;
}

static int
cmp_key32(const void *a, const void *b)
{
	uint32_t	x = le_get32(*(const uint8_t *const *)a);
	uint32_t	y = le_get32(*(const uint8_t *const *)b);

	return x < y ? -1 : x > y;
}

static int
bth_level(struct hn *h, uint32_t hid, unsigned level, unsigned cbkey,
    unsigned cbent, const uint8_t ***out, size_t *n, size_t *cap,
    size_t *budget, char **cause)
{
	const uint8_t	*p;
	size_t		 len, rs, i;

	if (*budget == 0) {
		pst_err(cause, "node 0x%x: BTH visits more allocations than "
		    "its heap holds", h->nid);
		return -1;
	}
	(*budget)--;
	if (hn_get(h, hid, &p, &len, cause) != 0)
		return -1;
	rs = cbkey + (level > 0 ? 4 : cbent);
	if (len % rs != 0) {
		pst_err(cause, "node 0x%x: BTH record block of %zu bytes is "
		    "no multiple of %zu", h->nid, len, rs);
		return -1;
	}
	for (i = 0; i < len / rs; i++) {
		if (level > 0) {
			if (bth_level(h, le_get32(p + i * rs + cbkey),
			    level - 1, cbkey, cbent, out, n, cap, budget,
			    cause) != 0)
				return -1;
			continue;
		}
		if (*n == *cap) {
			if (*cap >= BTH_MAX_RECS) {
				pst_err(cause, "node 0x%x: BTH too large",
				    h->nid);
				return -1;
			}
			*cap = *cap ? *cap * 2 : 64;
			*out = xreallocarray(*out, *cap, sizeof **out);
		}
		(*out)[(*n)++] = p + i * rs;
	}
	return 0;
}

/* Bytes of an inline or fixed-size value, or -1 for variable size. */
static int
fixed_size(uint16_t type)
{
	switch (type) {
	case MAPI_PT_BOOLEAN:
		return 1;
	case MAPI_PT_SHORT:
		return 2;
	case MAPI_PT_LONG:
	case MAPI_PT_FLOAT:
	case MAPI_PT_ERROR:
		return 4;
	case MAPI_PT_DOUBLE:
	case MAPI_PT_CURRENCY:
	case MAPI_PT_APPTIME:
	case MAPI_PT_LONGLONG:
	case MAPI_PT_SYSTIME:
		return 8;
	}
	return -1;
}

static int
pc_from(struct pst *f, uint32_t nid, uint64_t bid_data, uint64_t bid_sub,
    struct pst_pc **out, char **cause)
{
	struct pst_pc	*pc;

	*out = NULL;
	pc = xcalloc(1, sizeof *pc);
	if (hn_open(f, nid, bid_data, bid_sub, PST_HN_CLIENT_PC, &pc->hn,
	    cause) != 0) {
		free(pc);
		return -1;
	}
	if (bth_read(&pc->hn, pc->hn.user_root, PST_PC_KEY_SIZE,
	    PST_PC_DATA_SIZE, &pc->rec, &pc->nrec, cause) != 0) {
		pst_pc_free(pc);
		return -1;
	}
	*out = pc;
	return 0;
}

/* A node's data and subnode BIDs: from the node B-tree, or from the
 * subnodes of the message that owns it. */
static int
node_bids(struct pst *f, uint32_t nid, uint64_t *data, uint64_t *sub,
    char **cause)
{
	const struct pst_node	*n;

	if ((n = pst_node_find(f, nid)) == NULL) {
		pst_err(cause, "node 0x%x is not in the node B-tree", nid);
		return -1;
	}
	*data = n->bid_data;
	*sub = n->bid_sub;
	return 0;
}

static int
sub_bids(struct pst_pc *owner, uint32_t nid, uint64_t *data, uint64_t *sub,
    char **cause)
{
	const struct pst_subnode	*s;

	if ((s = pst_subnode_find(owner->hn.sub, owner->hn.nsub, nid)) ==
	    NULL) {
		pst_err(cause, "node 0x%x has no subnode 0x%x", owner->hn.nid,
		    nid);
		return -1;
	}
	*data = s->bid_data;
	*sub = s->bid_sub;
	return 0;
}

int
pst_pc_has_sub(const struct pst_pc *owner, uint32_t nid)
{
	return pst_subnode_find(owner->hn.sub, owner->hn.nsub, nid) != NULL;
}

int
pst_pc_sub_bytes(struct pst_pc *owner, uint32_t nid, const uint8_t **p,
    size_t *len, char **cause)
{
	*p = NULL;
	*len = 0;
	if (pst_hnid_is_hid(nid)) {
		pst_err(cause, "node 0x%x: object 0x%x is not a subnode",
		    owner->hn.nid, nid);
		return -1;
	}
	return hnid_get(&owner->hn, nid, p, len, cause);
}

int
pst_pc_open(struct pst *f, uint32_t nid, struct pst_pc **out, char **cause)
{
	uint64_t	data, sub;

	*out = NULL;
	if (node_bids(f, nid, &data, &sub, cause) != 0)
		return -1;
	return pc_from(f, nid, data, sub, out, cause);
}

int
pst_pc_open_sub(struct pst_pc *owner, uint32_t nid, struct pst_pc **out,
    char **cause)
{
	uint64_t	data, sub;

	*out = NULL;
	if (sub_bids(owner, nid, &data, &sub, cause) != 0)
		return -1;
	return pc_from(owner->hn.f, nid, data, sub, out, cause);
}

void
pst_pc_free(struct pst_pc *pc)
{
	if (pc == NULL)
		return;
	hn_free(&pc->hn);
	free(pc->rec);
	free(pc);
}

uint32_t
pst_pc_nid(const struct pst_pc *pc)
{
	return pc->hn.nid;
}

size_t
pst_pc_count(const struct pst_pc *pc)
{
	return pc->nrec;
}

static int
pc_value(struct pst_pc *pc, const uint8_t *r, struct pst_prop *v,
    char **cause)
{
	struct pst_pcrecord	rec;
	int			fs;

	pst_pcrecord_get(r, &rec);
	v->id = rec.prop_id;
	v->type = rec.prop_type;
	fs = fixed_size(rec.prop_type);
	if (fs > 0 && fs <= 4) {
		v->p = r + 4;		/* inline, little-endian */
		v->len = (size_t)fs;
		return 0;
	}
	if (hnid_get(&pc->hn, rec.hnid, &v->p, &v->len, cause) != 0)
		return -1;
	if (fs == 8 && v->len != 8) {
		pst_err(cause, "node 0x%x: property 0x%04x of type 0x%04x has "
		    "%zu bytes", pc->hn.nid, rec.prop_id, rec.prop_type,
		    v->len);
		return -1;
	}
	return 0;
}

int
pst_pc_at(struct pst_pc *pc, size_t i, struct pst_prop *v, char **cause)
{
	memset(v, 0, sizeof *v);
	if (i >= pc->nrec) {
		pst_err(cause, "property index %zu out of range", i);
		return -1;
	}
	return pc_value(pc, pc->rec[i], v, cause);
}

int
pst_pc_get(struct pst_pc *pc, uint16_t id, struct pst_prop *v, char **cause)
{
	size_t		lo = 0, hi = pc->nrec, mid;
	uint16_t	k;

	memset(v, 0, sizeof *v);
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		k = le_get16(pc->rec[mid]);
		if (k == id)
			return pc_value(pc, pc->rec[mid], v, cause) == 0 ? 1 :
			    -1;
		if (k < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int
pst_prop_object(const struct pst_prop *v, uint32_t *nid)
{
	if (v->type != MAPI_PT_OBJECT || v->len < PST_OBJECT_SIZE)
		return -1;
	*nid = le_get32(v->p);
	return 0;
}

/*
 * Tables. Rows live in one heap item or in a subnode's data tree, never
 * straddling a block: each block holds floor(len / row size) rows.
 */
static int
tc_from(struct pst *f, uint32_t nid, uint64_t bid_data, uint64_t bid_sub,
    struct pst_tc **out, char **cause)
{
	struct pst_tc		*tc;
	const uint8_t		*p;
	const uint8_t		**idx = NULL;
	size_t			 len, i, j, rs, bm, nidx = 0, cap;
	struct pst_data		 one;
	char			*why = NULL;

	*out = NULL;
	tc = xcalloc(1, sizeof *tc);
	if (hn_open(f, nid, bid_data, bid_sub, PST_HN_CLIENT_TC, &tc->hn,
	    cause) != 0) {
		free(tc);
		return -1;
	}
	if (hn_get(&tc->hn, tc->hn.user_root, &p, &len, cause) != 0)
		goto bad;
	if (len < PST_TCINFO_SIZE)
		goto badinfo;
	pst_tcinfo_get(p, &tc->ti);
	rs = tc->ti.rgib[PST_TCI_BM];
	bm = (size_t)(tc->ti.ccols + 7) / 8;
	if (tc->ti.btype != PST_HN_CLIENT_TC ||
	    len < PST_TCINFO_SIZE + (size_t)tc->ti.ccols * PST_TCOLDESC_SIZE ||
	    tc->ti.rgib[PST_TCI_4B] > tc->ti.rgib[PST_TCI_2B] ||
	    tc->ti.rgib[PST_TCI_2B] > tc->ti.rgib[PST_TCI_1B] ||
	    tc->ti.rgib[PST_TCI_1B] > rs ||
	    rs - tc->ti.rgib[PST_TCI_1B] < bm || rs == 0)
		goto badinfo;
	tc->cols = xcalloc((size_t)tc->ti.ccols + 1, sizeof *tc->cols);
	for (i = 0; i < tc->ti.ccols; i++) {
		struct pst_tcoldesc *c = &tc->cols[i];

		pst_tcoldesc_get(p + PST_TCINFO_SIZE + i * PST_TCOLDESC_SIZE,
		    c);
		if ((size_t)c->ib + c->cb > tc->ti.rgib[PST_TCI_1B] ||
		    c->ibit / 8 >= bm || c->cb == 0 || c->cb > 8)
			goto badinfo;
	}
	/* Row data. */
	memset(&one, 0, sizeof one);
	if (tc->ti.hnid_rows != 0 && pst_hnid_is_hid(tc->ti.hnid_rows)) {
		if (hn_get(&tc->hn, tc->ti.hnid_rows, &p, &len, cause) != 0)
			goto bad;
		cap = len / rs;
		tc->rowp = xcalloc(cap + 1, sizeof *tc->rowp);
		for (j = 0; j < cap; j++)
			tc->rowp[tc->nrows++] = p + j * rs;
	} else if (tc->ti.hnid_rows != 0) {
		const struct pst_subnode *s = pst_subnode_find(tc->hn.sub,
		    tc->hn.nsub, tc->ti.hnid_rows);

		if (s == NULL) {
			pst_err(cause, "node 0x%x: row data subnode 0x%x "
			    "does not exist", nid, tc->ti.hnid_rows);
			goto bad;
		}
		if (pst_data_read(f, s->bid_data, &tc->rowdata, &why) != 0) {
			pst_err(cause, "node 0x%x: rows: %s", nid, why);
			free(why);
			goto bad;
		}
		cap = 0;
		for (i = 0; i < tc->rowdata.nseg; i++)
			cap += tc->rowdata.seg[i].len / rs;
		tc->rowp = xcalloc(cap + 1, sizeof *tc->rowp);
		for (i = 0; i < tc->rowdata.nseg; i++)
			for (j = 0; j < tc->rowdata.seg[i].len / rs; j++)
				tc->rowp[tc->nrows++] = tc->rowdata.seg[i].p +
				    j * rs;
	}
	/* The row index counts the rows in use; padding may follow them. */
	if (tc->ti.hid_row_index != 0) {
		if (bth_read(&tc->hn, tc->ti.hid_row_index,
		    PST_TC_ROWINDEX_KEY, 0, &idx, &nidx, cause) != 0)
			goto bad;
		free(idx);
		if (nidx < tc->nrows)
			tc->nrows = nidx;
	}
	*out = tc;
	return 0;
badinfo:
	pst_err(cause, "node 0x%x: table header is damaged", nid);
bad:
	pst_tc_free(tc);
	return -1;
}

int
pst_tc_open(struct pst *f, uint32_t nid, struct pst_tc **out, char **cause)
{
	uint64_t	data, sub;

	*out = NULL;
	if (node_bids(f, nid, &data, &sub, cause) != 0)
		return -1;
	return tc_from(f, nid, data, sub, out, cause);
}

int
pst_tc_open_sub(struct pst_pc *owner, uint32_t nid, struct pst_tc **out,
    char **cause)
{
	uint64_t	data, sub;

	*out = NULL;
	if (sub_bids(owner, nid, &data, &sub, cause) != 0)
		return -1;
	return tc_from(owner->hn.f, nid, data, sub, out, cause);
}

void
pst_tc_free(struct pst_tc *tc)
{
	if (tc == NULL)
		return;
	hn_free(&tc->hn);
	pst_data_free(&tc->rowdata);
	free(tc->cols);
	free(tc->rowp);
	free(tc);
}

size_t
pst_tc_rows(const struct pst_tc *tc)
{
	return tc->nrows;
}

size_t
pst_tc_cols(const struct pst_tc *tc)
{
	return tc->ti.ccols;
}

uint32_t
pst_tc_col_tag(const struct pst_tc *tc, size_t i)
{
	return i < tc->ti.ccols ? tc->cols[i].tag : 0;
}

int
pst_tc_row_id(struct pst_tc *tc, size_t row, uint32_t *id, char **cause)
{
	struct pst_prop	v;
	int		r;

	if ((r = pst_tc_get(tc, row, MAPI_ID_LTP_ROW_ID, &v, cause)) != 1)
		return r == 0 ? -1 : r;
	*id = le_get32(v.p);
	return 0;
}

int
pst_tc_get(struct pst_tc *tc, size_t row, uint16_t id, struct pst_prop *v,
    char **cause)
{
	const struct pst_tcoldesc	*c = NULL;
	const uint8_t			*r;
	size_t				 i;
	int				 fs;

	memset(v, 0, sizeof *v);
	if (row >= tc->nrows) {
		pst_err(cause, "row %zu out of range", row);
		return -1;
	}
	for (i = 0; i < tc->ti.ccols; i++)
		if (MAPI_TAG_ID(tc->cols[i].tag) == id) {
			c = &tc->cols[i];
			break;
		}
	if (c == NULL)
		return 0;
	r = tc->rowp[row];
	/* The row's cell-existence bitmap. */
	if (!(r[tc->ti.rgib[PST_TCI_1B] + c->ibit / 8] &
	    (0x80 >> (c->ibit % 8))))
		return 0;
	v->id = id;
	v->type = MAPI_TAG_TYPE(c->tag);
	fs = fixed_size(v->type);
	if (fs > 0) {
		if ((size_t)fs > c->cb) {
			pst_err(cause, "node 0x%x: column 0x%08x too narrow",
			    tc->hn.nid, c->tag);
			return -1;
		}
		v->p = r + c->ib;
		v->len = (size_t)fs;
		return 1;
	}
	if (c->cb != 4) {
		pst_err(cause, "node 0x%x: column 0x%08x is no HNID",
		    tc->hn.nid, c->tag);
		return -1;
	}
	return hnid_get(&tc->hn, le_get32(r + c->ib), &v->p, &v->len,
	    cause) == 0 ? 1 : -1;
}

int
pst_prop_utf8(const struct pst_prop *v, char **out)
{
	char		*o;
	size_t		 i, n;

	*out = NULL;
	if (v->type == MAPI_PT_UNICODE) {
		*out = text_utf16le_to_utf8(v->p, v->len);
		return 0;
	}
	if (v->type != MAPI_PT_STRING8)
		return -1;
	n = v->len;
	/* 8-bit strings may keep their NUL. */
	while (n > 0 && v->p[n - 1] == 0)
		n--;
	o = *out = xmalloc(n * 3 + 1);
	for (i = 0; i < n; i++)
		o += text_utf8_put(text_cp1252_to_cp(v->p[i]), o);
	*o = '\0';
	return 0;
}
