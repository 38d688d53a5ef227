/* pstw_ltp.c: the PST writer's lists, tables and properties: heaps on
 * nodes, BTHs, property contexts, table contexts. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pstw_int.h"
#include "le.h"
#include "model.h"
#include "pst/format.h"
#include "pst/mapi.h"
#include "text.h"
#include "xmalloc.h"

/* UTF-8 to UTF-16LE without terminator (model.h's codec). */
uint8_t *
pstw_utf16(const char *s, size_t *lenp)
{
	uint8_t	*out = xmalloc(text_utf8_to_utf16le(s, NULL) * 2 + 2);

	*lenp = text_utf8_to_utf16le(s, out) * 2;
	return out;
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
		pstw_dt_add(w, &t, h->b[i].d, size[i]);
		*total += size[i];
		free(h->b[i].d);
		free(h->b[i].off);
	}
	free(size);
	free(h->b);
	memset(h, 0, sizeof *h);
	return pstw_dt_finish(w, &t);
}

/* BTH: records sorted by key; fills the header at hdr. If leaves is
 * not NULL it gets the HID of each leaf (PST_HEAP_ITEM_MAX / record size
 * records each). */
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
	nid = pstw_node_nid(nd, PST_NID_TYPE_LTP);
	pstw_node_add(nd, nid, pstw_data_write(w, p->data, p->len), 0);
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
		b = text_cp1252_from_cp(c);
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
			for (j = 0; j < cnt; j++) {
				off = le_get32(v[i].data + 4 + 4 * j);
				end = j + 1 < cnt ?
				    le_get32(v[i].data + 8 + 4 * j) : v[i].len;
				if (off > end || end > v[i].len)
					off = end = 0;
				part[j] = cp1252(v[i].data + off, end - off,
				    &plen[j]);
			}
			b = pstw_mv_pack(part, plen, cnt, &total);
			free(v[i].data);
			v[i].data = b;
			v[i].len = total;
			v[i].type = MAPI_PT_MV_STRING8;
		}
	}
}

/* A column's tag in this file: 8-bit strings in ANSI files. */
uint32_t
pstw_col_tag(const struct pstw *w, uint32_t tag)
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
uint64_t
pstw_pc_build(struct pstw *w, struct node *nd, struct prop *v, size_t n,
    uint64_t *total)
{
	struct hn		 h;
	struct pst_pcrecord	 rec;
	uint32_t		 hdr, *leaves;
	uint8_t			*recs, *p;
	size_t			 i;
	size_t			 per = PST_HEAP_ITEM_MAX / PST_PC_RECORD_SIZE;

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

/* The columns: row id and version, base's, and with addall every other
 * property of the rows (cCols is one byte). */
static struct tcol *
tc_columns(struct pstw *w, const uint32_t *base, size_t nbase, int addall,
    size_t nrows, rowfn fn, void *ctx, size_t *ncp)
{
	struct tcol	*c;
	struct trow	 r;
	size_t		 nc, capc, i, j;
	uint32_t	 tag;

	capc = nbase + 2;
	c = xreallocarray(NULL, capc, sizeof *c);
	nc = 0;
	c[nc++].tag = MAPI_TAG_LTP_ROW_ID;
	c[nc++].tag = MAPI_TAG_LTP_ROW_VER;
	for (i = 0; i < nbase; i++)
		c[nc++].tag = pstw_col_tag(w, base[i]);
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
	*ncp = nc;
	return c;
}

/* Row id and version first, then the cells by size; rgib as in TCINFO.
 * Returns the offset of the cell-existence bits. */
static uint16_t
tc_layout(struct tcol *c, size_t nc, uint16_t rgib[4])
{
	static const uint8_t	 groups[] = { 8, 4, 2, 1 };
	size_t			 i, k;
	uint16_t		 ib = 8;
	uint8_t			 bit = 2;

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
	rgib[3] = ib + (nc + 7) / 8;
	return ib;
}

/* The row index, a BTH in the heap at hdr. */
static void
tc_rowindex(struct pstw *w, struct hn *h, uint32_t hdr, size_t nrows,
    rowfn fn, void *ctx)
{
	struct trow	 r;
	uint8_t		*recs;
	size_t		 i, rie, rir;

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
	bth_build(h, hdr, PST_TC_ROWINDEX_KEY, rie, recs, nrows, NULL);
	free(recs);
}

/* One row of rowsz bytes, its cell-existence bits at ceb. */
static void
tc_row(struct pstw *w, struct hn *h, struct node *nd, struct tcol *c,
    size_t nc, uint16_t ceb, const struct trow *r, uint8_t *row,
    size_t rowsz)
{
	const struct tcol	*col;
	size_t			 j;

	memset(row, 0, rowsz);
	le_put32(row, r->id);
	le_put32(row + 4, 1);
	row[ceb] |= 0xC0;
	for (j = 0; j < r->n; j++) {
		col = tc_find(c, nc, MAPI_TAG(r->v[j].id, r->v[j].type));
		if (col == NULL || col->bit < 2)
			continue;
		if (col->cb == 4 && !type_inline(r->v[j].type))
			le_put32(row + col->ib,
			    value_hnid(w, h, nd, &r->v[j]));
		else if (r->v[j].len == col->cb)
			memcpy(row + col->ib, r->v[j].data, col->cb);
		else
			continue;
		row[ceb + col->bit / 8] |= 0x80 >> (col->bit % 8);
	}
}

/* The row matrix: in the heap when small, else a subnode of row blocks.
 * Returns its HNID. */
static uint32_t
tc_matrix(struct pstw *w, struct hn *h, struct node *nd, struct tcol *c,
    size_t nc, uint16_t ceb, size_t rowsz, size_t nrows, rowfn fn, void *ctx)
{
	struct trow	 r;
	struct dtree	 t = { 0 };
	uint8_t		*row, *blk = NULL, *mat = NULL;
	size_t		 i, rpb, fill = 0;
	uint32_t	 rows = 0, nid;

	row = xmalloc(rowsz);
	rpb = w->blkdata / rowsz;
	if (nrows * rowsz <= PST_HEAP_ITEM_MAX)
		mat = xmalloc(nrows * rowsz + 1);
	else
		blk = xcalloc(1, w->blkdata);
	for (i = 0; i < nrows; i++) {
		fn(ctx, i, &r);
		props_ansi(w, r.v, r.n);
		tc_row(w, h, nd, c, nc, ceb, &r, row, rowsz);
		if (mat != NULL) {
			memcpy(mat + i * rowsz, row, rowsz);
			continue;
		}
		if (fill == rpb) {
			/* Every row block but the last is full size (T5). */
			memset(blk + fill * rowsz, 0,
			    w->blkdata - fill * rowsz);
			pstw_dt_add(w, &t, blk, w->blkdata);
			fill = 0;
		}
		memcpy(blk + fill * rowsz, row, rowsz);
		fill++;
	}
	if (mat != NULL) {
		if (nrows > 0)
			rows = hn_put(h, mat, nrows * rowsz);
		free(mat);
	} else {
		pstw_dt_add(w, &t, blk, fill * rowsz);
		free(blk);
		nid = pstw_node_nid(nd, PST_NID_TYPE_LTP);
		pstw_node_add(nd, nid, pstw_dt_finish(w, &t), 0);
		rows = nid;
	}
	free(row);
	return rows;
}

/* A table context with the base columns (plus every property present
 * in a row if addall); rows come from fn. Subnodes go to nd. */
uint64_t
pstw_tc_build(struct pstw *w, struct node *nd, const uint32_t *base,
    size_t nbase, int addall, size_t nrows, rowfn fn, void *ctx)
{
	struct hn		 h;
	struct tcol		*c;
	struct pst_tcinfo	 ti;
	struct pst_tcoldesc	 cd;
	size_t			 nc, i, k;
	uint32_t		 hdr, info, rows;
	uint8_t			*p;
	uint16_t		 ceb, rgib[4];
	uint64_t		 total;

	c = tc_columns(w, base, nbase, addall, nrows, fn, ctx, &nc);
	ceb = tc_layout(c, nc, rgib);

	hn_init(w, &h, PST_HN_CLIENT_TC);
	hdr = hn_alloc(&h, PST_BTHHEADER_SIZE, &p);
	info = hn_alloc(&h, PST_TCINFO_SIZE + PST_TCOLDESC_SIZE * nc, &p);
	tc_rowindex(w, &h, hdr, nrows, fn, ctx);
	rows = tc_matrix(w, &h, nd, c, nc, ceb, rgib[3], nrows, fn, ctx);

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

void
pstw_props_row(void *ctx, size_t i, struct trow *r)
{
	struct prows	*pr = ctx;

	r->id = pr->ids != NULL ? pr->ids[i] : i;
	r->v = pr->p[i]->v;
	r->n = pr->p[i]->n;
}
