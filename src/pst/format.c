/* format.c: get/put of every MS-PST record, in its three file forms. */
#include <stdint.h>
#include <string.h>

#include "le.h"
#include "pst/crc.h"
#include "pst/format.h"

/* Where the header's fields stand (MS-PST 2.2.2.6): ANSI and Unicode
 * hold the same fields at other offsets, 4 or 8 bytes wide (get_id). */
struct hdr_at {
	size_t	nextb, nextp, unique, rgnid, root, fm, fp, sentinel, crypt;
};
static const struct hdr_at hdr_ansi = {
	.nextb = 24, .nextp = 28, .unique = 32, .rgnid = 36, .root = 164,
	.fm = 204, .fp = 332, .sentinel = 460, .crypt = 461,
};
static const struct hdr_at hdr_unicode = {
	.nextb = 516, .nextp = 32, .unique = 40, .rgnid = 44, .root = 180,
	.fm = 256, .fp = 384, .sentinel = 512, .crypt = 513,
};
#define U_CRCFULL	524	/* Unicode only */

static const struct pst_layout layouts[] = {
	[PST_ANSI] = {
		.kind = PST_ANSI, .header_size = PST_HEADER_ANSI_SIZE,
		.id_size = 4, .page_size = 512, .page_crc_len = 500,
		.page_trailer_off = 500, .bt_entries_len = 496,
		.bt_btentry = 12, .bt_nbtentry = 16, .bt_bbtentry = 12,
		.block_trailer = 12, .block_align = 64, .block_max = 8192,
		.xblock_bid = 4, .sl_hdr = 4, .slentry = 12, .sientry = 8,
		.hid_index_bits = 11
	},
	[PST_UNICODE] = {
		.kind = PST_UNICODE, .header_size = PST_HEADER_UNICODE_SIZE,
		.id_size = 8, .page_size = 512, .page_crc_len = 496,
		.page_trailer_off = 496, .bt_entries_len = 488,
		.bt_btentry = 24, .bt_nbtentry = 32, .bt_bbtentry = 24,
		.block_trailer = 16, .block_align = 64, .block_max = 8192,
		.xblock_bid = 8, .sl_hdr = 8, .slentry = 24, .sientry = 16,
		.hid_index_bits = 11
	},
	[PST_UNICODE4K] = {
		.kind = PST_UNICODE4K, .header_size = PST_HEADER_UNICODE_SIZE,
		.id_size = 8, .page_size = 4096, .page_crc_len = 4072,
		.page_trailer_off = 4072, .bt_entries_len = 4056,
		.bt_btentry = 24, .bt_nbtentry = 32, .bt_bbtentry = 24,
		.block_trailer = 24, .block_align = 512, .block_max = 65536,
		.xblock_bid = 8, .sl_hdr = 8, .slentry = 24, .sientry = 16,
		.hid_index_bits = 14
	}
};

static uint64_t	get_id(const struct pst_layout *, const uint8_t *);
static void	put_id(const struct pst_layout *, uint8_t *, uint64_t);

static uint64_t
get_id(const struct pst_layout *l, const uint8_t *p)
{
	return l->id_size == 4 ? le_get32(p) : le_get64(p);
}

static void
put_id(const struct pst_layout *l, uint8_t *p, uint64_t v)
{
	if (l->id_size == 4)
		le_put32(p, (uint32_t)v);
	else
		le_put64(p, v);
}

const struct pst_layout *
pst_layout(enum pst_kind k)
{
	return &layouts[k];
}

int
pst_kind_of_ver(unsigned ver)
{
	switch (ver) {
	case PST_VER_ANSI14:
	case PST_VER_ANSI15:
		return PST_ANSI;
	case PST_VER_UNICODE:
		return PST_UNICODE;
	case PST_VER_UNICODE4K:
		return PST_UNICODE4K;
	}
	return -1;
}

uint16_t
pst_sig(uint64_t ib, uint64_t bid)
{
	uint32_t	x = (uint32_t)(ib ^ bid);

	return (uint16_t)((x >> 16) ^ x);
}

size_t
pst_block_size(const struct pst_layout *l, size_t cb)
{
	size_t	n = cb + l->block_trailer;

	return (n + l->block_align - 1) / l->block_align * l->block_align;
}

uint32_t
pst_header_crc_partial(const uint8_t *p)
{
	return pst_crc32(0, p + PST_CRC_PARTIAL_OFF, PST_CRC_PARTIAL_LEN);
}

uint32_t
pst_header_crc_full(const uint8_t *p)
{
	return pst_crc32(0, p + PST_CRC_PARTIAL_OFF, PST_CRC_FULL_LEN);
}

int
pst_header_get(const uint8_t *p, size_t len, struct pst_header *h)
{
	const struct pst_layout	*l;
	const struct hdr_at	*at;
	const uint8_t		*r;
	size_t			 w;
	int			 k, i;

	memset(h, 0, sizeof *h);
	if (len < 24)
		return -1;
	h->magic = le_get32(p);
	h->crc_partial = le_get32(p + 4);
	h->magic_client = le_get16(p + 8);
	h->ver = le_get16(p + 10);
	h->ver_client = le_get16(p + 12);
	h->platform_create = p[14];
	h->platform_access = p[15];
	h->reserved1 = le_get32(p + 16);
	h->reserved2 = le_get32(p + 20);
	if ((k = pst_kind_of_ver(h->ver)) < 0)
		return -1;
	l = pst_layout(k);
	if (len < l->header_size)
		return -1;
	at = k == PST_ANSI ? &hdr_ansi : &hdr_unicode;
	w = l->id_size;
	h->bid_next_b = get_id(l, p + at->nextb);
	h->bid_next_p = get_id(l, p + at->nextp);
	h->unique = le_get32(p + at->unique);
	for (i = 0; i < PST_NID_HWM; i++)
		h->rgnid[i] = le_get32(p + at->rgnid + 4 * i);
	/* ROOT: a reserved dword, then eight ids, then fAMapValid. */
	r = p + at->root;
	h->root.file_eof = get_id(l, r + 4);
	h->root.amap_last = get_id(l, r + 4 + w);
	h->root.amap_free = get_id(l, r + 4 + 2 * w);
	h->root.pmap_free = get_id(l, r + 4 + 3 * w);
	h->root.nbt.bid = get_id(l, r + 4 + 4 * w);
	h->root.nbt.ib = get_id(l, r + 4 + 5 * w);
	h->root.bbt.bid = get_id(l, r + 4 + 6 * w);
	h->root.bbt.ib = get_id(l, r + 4 + 7 * w);
	h->root.amap_valid = r[4 + 8 * w];
	memcpy(h->rgb_fm, p + at->fm, PST_HEADER_FMAP_LEN);
	memcpy(h->rgb_fp, p + at->fp, PST_HEADER_FMAP_LEN);
	h->sentinel = p[at->sentinel];
	h->crypt = p[at->crypt];
	if (k != PST_ANSI)
		h->crc_full = le_get32(p + U_CRCFULL);
	return 0;
}

size_t
pst_header_put(const struct pst_header *h, uint8_t *p)
{
	const struct pst_layout	*l;
	const struct hdr_at	*at;
	uint8_t			*r;
	size_t			 w;
	int			 k, i;

	memset(p, 0, PST_HEADER_MAX);
	if ((k = pst_kind_of_ver(h->ver)) < 0)
		k = PST_UNICODE;
	l = pst_layout(k);
	le_put32(p, h->magic);
	le_put16(p + 8, h->magic_client);
	le_put16(p + 10, h->ver);
	le_put16(p + 12, h->ver_client);
	p[14] = h->platform_create;
	p[15] = h->platform_access;
	le_put32(p + 16, h->reserved1);
	le_put32(p + 20, h->reserved2);
	at = k == PST_ANSI ? &hdr_ansi : &hdr_unicode;
	w = l->id_size;
	put_id(l, p + at->nextb, h->bid_next_b);
	put_id(l, p + at->nextp, h->bid_next_p);
	le_put32(p + at->unique, h->unique);
	for (i = 0; i < PST_NID_HWM; i++)
		le_put32(p + at->rgnid + 4 * i, h->rgnid[i]);
	r = p + at->root;
	put_id(l, r + 4, h->root.file_eof);
	put_id(l, r + 4 + w, h->root.amap_last);
	put_id(l, r + 4 + 2 * w, h->root.amap_free);
	put_id(l, r + 4 + 3 * w, h->root.pmap_free);
	put_id(l, r + 4 + 4 * w, h->root.nbt.bid);
	put_id(l, r + 4 + 5 * w, h->root.nbt.ib);
	put_id(l, r + 4 + 6 * w, h->root.bbt.bid);
	put_id(l, r + 4 + 7 * w, h->root.bbt.ib);
	r[4 + 8 * w] = h->root.amap_valid;
	memcpy(p + at->fm, h->rgb_fm, PST_HEADER_FMAP_LEN);
	memcpy(p + at->fp, h->rgb_fp, PST_HEADER_FMAP_LEN);
	p[at->sentinel] = h->sentinel;
	p[at->crypt] = h->crypt;
	le_put32(p + 4, pst_header_crc_partial(p));
	if (k != PST_ANSI)
		le_put32(p + U_CRCFULL, pst_header_crc_full(p));
	return l->header_size;
}

/* ANSI: ptype, repeat, wSig, bid (4), CRC (4); else CRC before bid (8). */
void
pst_ptrailer_get(const struct pst_layout *l, const uint8_t *page,
    struct pst_ptrailer *t)
{
	const uint8_t	*p = page + l->page_trailer_off;

	t->ptype = p[0];
	t->ptype_repeat = p[1];
	t->sig = le_get16(p + 2);
	if (l->kind == PST_ANSI) {
		t->bid = le_get32(p + 4);
		t->crc = le_get32(p + 8);
	} else {
		t->crc = le_get32(p + 4);
		t->bid = le_get64(p + 8);
	}
}

void
pst_ptrailer_put(const struct pst_layout *l, uint8_t *page,
    const struct pst_ptrailer *t)
{
	uint8_t	*p = page + l->page_trailer_off;

	p[0] = t->ptype;
	p[1] = t->ptype_repeat;
	le_put16(p + 2, t->sig);
	if (l->kind == PST_ANSI) {
		le_put32(p + 4, (uint32_t)t->bid);
		le_put32(p + 8, t->crc);
	} else {
		le_put32(p + 4, t->crc);
		le_put64(p + 8, t->bid);
		if (l->kind == PST_UNICODE4K)
			memset(p + 16, 0, 8);
	}
}

/* The footer follows the entries: 1-byte counts, 2-byte ones in 4K. */
void
pst_btpage_get(const struct pst_layout *l, const uint8_t *page,
    struct pst_btpage *b)
{
	const uint8_t	*p = page + l->bt_entries_len;

	if (l->kind == PST_UNICODE4K) {
		b->cent = le_get16(p);
		b->cent_max = le_get16(p + 2);
		b->cb_ent = p[4];
		b->level = p[5];
	} else {
		b->cent = p[0];
		b->cent_max = p[1];
		b->cb_ent = p[2];
		b->level = p[3];
	}
}

void
pst_btpage_put(const struct pst_layout *l, uint8_t *page,
    const struct pst_btpage *b)
{
	uint8_t	*p = page + l->bt_entries_len;

	memset(p, 0, l->page_trailer_off - l->bt_entries_len);
	if (l->kind == PST_UNICODE4K) {
		le_put16(p, b->cent);
		le_put16(p + 2, b->cent_max);
		p[4] = b->cb_ent;
		p[5] = b->level;
	} else {
		p[0] = (uint8_t)b->cent;
		p[1] = (uint8_t)b->cent_max;
		p[2] = b->cb_ent;
		p[3] = b->level;
	}
}

void
pst_btentry_get(const struct pst_layout *l, const uint8_t *p,
    struct pst_btentry *e)
{
	size_t	n = l->id_size;

	e->key = get_id(l, p);
	e->bref.bid = get_id(l, p + n);
	e->bref.ib = get_id(l, p + 2 * n);
}

void
pst_btentry_put(const struct pst_layout *l, uint8_t *p,
    const struct pst_btentry *e)
{
	size_t	n = l->id_size;

	put_id(l, p, e->key);
	put_id(l, p + n, e->bref.bid);
	put_id(l, p + 2 * n, e->bref.ib);
}

void
pst_nbtentry_get(const struct pst_layout *l, const uint8_t *p,
    struct pst_nbtentry *e)
{
	size_t	n = l->id_size;

	e->nid = le_get32(p);		/* zero-extended in Unicode */
	e->bid_data = get_id(l, p + n);
	e->bid_sub = get_id(l, p + 2 * n);
	e->nid_parent = le_get32(p + 3 * n);
}

void
pst_nbtentry_put(const struct pst_layout *l, uint8_t *p,
    const struct pst_nbtentry *e)
{
	size_t	n = l->id_size;

	memset(p, 0, l->bt_nbtentry);
	le_put32(p, e->nid);
	put_id(l, p + n, e->bid_data);
	put_id(l, p + 2 * n, e->bid_sub);
	le_put32(p + 3 * n, e->nid_parent);
}

/* ANSI bid, ib, cb, cRef; Unicode bid, ib, cb, cRef, pad; 4K bid, ib,
 * cb, cbInflated, cRef, pad. */
void
pst_bbtentry_get(const struct pst_layout *l, const uint8_t *p,
    struct pst_bbtentry *e)
{
	size_t	n = l->id_size;

	e->bref.bid = get_id(l, p);
	e->bref.ib = get_id(l, p + n);
	e->cb = le_get16(p + 2 * n);
	if (l->kind == PST_UNICODE4K) {
		e->cb_inflated = le_get16(p + 2 * n + 2);
		e->cref = le_get16(p + 2 * n + 4);
	} else {
		e->cb_inflated = e->cb;
		e->cref = le_get16(p + 2 * n + 2);
	}
}

void
pst_bbtentry_put(const struct pst_layout *l, uint8_t *p,
    const struct pst_bbtentry *e)
{
	size_t	n = l->id_size;

	memset(p, 0, l->bt_bbtentry);
	put_id(l, p, e->bref.bid);
	put_id(l, p + n, e->bref.ib);
	le_put16(p + 2 * n, e->cb);
	if (l->kind == PST_UNICODE4K) {
		le_put16(p + 2 * n + 2, e->cb_inflated);
		le_put16(p + 2 * n + 4, e->cref);
	} else
		le_put16(p + 2 * n + 2, e->cref);
}

/* ANSI cb, wSig, bid (4), CRC; Unicode cb, wSig, CRC, bid (8); 4K adds
 * a word (2), cbInflated (2) and padding (4). */
void
pst_btrailer_get(const struct pst_layout *l, const uint8_t *p,
    struct pst_btrailer *t)
{
	t->cb = le_get16(p);
	t->sig = le_get16(p + 2);
	if (l->kind == PST_ANSI) {
		t->bid = le_get32(p + 4);
		t->crc = le_get32(p + 8);
	} else {
		t->crc = le_get32(p + 4);
		t->bid = le_get64(p + 8);
	}
	t->cb_inflated = l->kind == PST_UNICODE4K ? le_get16(p + 18) : t->cb;
}

void
pst_btrailer_put(const struct pst_layout *l, uint8_t *p,
    const struct pst_btrailer *t)
{
	memset(p, 0, l->block_trailer);
	le_put16(p, t->cb);
	le_put16(p + 2, t->sig);
	if (l->kind == PST_ANSI) {
		le_put32(p + 4, (uint32_t)t->bid);
		le_put32(p + 8, t->crc);
		return;
	}
	le_put32(p + 4, t->crc);
	le_put64(p + 8, t->bid);
	if (l->kind == PST_UNICODE4K) {
		le_put16(p + 16, 2);	/* as Outlook writes it */
		le_put16(p + 18, t->cb_inflated);
	}
}

void
pst_xblock_get(const uint8_t *p, struct pst_xblock *x)
{
	x->btype = p[0];
	x->level = p[1];
	x->cent = le_get16(p + 2);
	x->lcb_total = le_get32(p + 4);
}

void
pst_xblock_put(uint8_t *p, const struct pst_xblock *x)
{
	p[0] = x->btype;
	p[1] = x->level;
	le_put16(p + 2, x->cent);
	le_put32(p + 4, x->lcb_total);
}

uint64_t
pst_bid_get(const struct pst_layout *l, const uint8_t *p)
{
	return l->xblock_bid == 4 ? le_get32(p) : le_get64(p);
}

void
pst_bid_put(const struct pst_layout *l, uint8_t *p, uint64_t bid)
{
	if (l->xblock_bid == 4)
		le_put32(p, (uint32_t)bid);
	else
		le_put64(p, bid);
}

void
pst_slblock_get(const uint8_t *p, struct pst_slblock *s)
{
	s->btype = p[0];
	s->level = p[1];
	s->cent = le_get16(p + 2);
}

void
pst_slblock_put(const struct pst_layout *l, uint8_t *p,
    const struct pst_slblock *s)
{
	memset(p, 0, l->sl_hdr);
	p[0] = s->btype;
	p[1] = s->level;
	le_put16(p + 2, s->cent);
}

void
pst_slentry_get(const struct pst_layout *l, const uint8_t *p,
    struct pst_slentry *e)
{
	size_t	n = l->id_size;

	e->nid = le_get32(p);
	e->bid_data = get_id(l, p + n);
	e->bid_sub = get_id(l, p + 2 * n);
}

void
pst_slentry_put(const struct pst_layout *l, uint8_t *p,
    const struct pst_slentry *e)
{
	size_t	n = l->id_size;

	memset(p, 0, l->slentry);
	le_put32(p, e->nid);
	put_id(l, p + n, e->bid_data);
	put_id(l, p + 2 * n, e->bid_sub);
}

void
pst_sientry_get(const struct pst_layout *l, const uint8_t *p,
    struct pst_sientry *e)
{
	e->nid = le_get32(p);
	e->bid = get_id(l, p + l->id_size);
}

void
pst_sientry_put(const struct pst_layout *l, uint8_t *p,
    const struct pst_sientry *e)
{
	memset(p, 0, l->sientry);
	le_put32(p, e->nid);
	put_id(l, p + l->id_size, e->bid);
}

void
pst_hnhdr_get(const uint8_t *p, struct pst_hnhdr *h)
{
	h->ib_hnpm = le_get16(p);
	h->sig = p[2];
	h->client_sig = p[3];
	h->hid_user_root = le_get32(p + 4);
	memcpy(h->fill, p + 8, PST_HN_FILL_LEN);
}

void
pst_hnhdr_put(uint8_t *p, const struct pst_hnhdr *h)
{
	le_put16(p, h->ib_hnpm);
	p[2] = h->sig;
	p[3] = h->client_sig;
	le_put32(p + 4, h->hid_user_root);
	memcpy(p + 8, h->fill, PST_HN_FILL_LEN);
}

size_t
pst_hn_block_hdr_size(uint32_t block)
{
	if (block == 0)
		return PST_HNHDR_SIZE;
	if (block >= 8 && (block - 8) % 128 == 0)
		return PST_HNBITMAPHDR_SIZE;
	return PST_HNPAGEHDR_SIZE;
}

void
pst_hnpagemap_get(const uint8_t *p, struct pst_hnpagemap *m)
{
	m->calloc = le_get16(p);
	m->cfree = le_get16(p + 2);
}

void
pst_hnpagemap_put(uint8_t *p, const struct pst_hnpagemap *m)
{
	le_put16(p, m->calloc);
	le_put16(p + 2, m->cfree);
}

void
pst_bthheader_get(const uint8_t *p, struct pst_bthheader *b)
{
	b->btype = p[0];
	b->cb_key = p[1];
	b->cb_ent = p[2];
	b->idx_levels = p[3];
	b->hid_root = le_get32(p + 4);
}

void
pst_bthheader_put(uint8_t *p, const struct pst_bthheader *b)
{
	p[0] = b->btype;
	p[1] = b->cb_key;
	p[2] = b->cb_ent;
	p[3] = b->idx_levels;
	le_put32(p + 4, b->hid_root);
}

void
pst_pcrecord_get(const uint8_t *p, struct pst_pcrecord *r)
{
	r->prop_id = le_get16(p);
	r->prop_type = le_get16(p + 2);
	r->hnid = le_get32(p + 4);
}

void
pst_pcrecord_put(uint8_t *p, const struct pst_pcrecord *r)
{
	le_put16(p, r->prop_id);
	le_put16(p + 2, r->prop_type);
	le_put32(p + 4, r->hnid);
}

void
pst_tcinfo_get(const uint8_t *p, struct pst_tcinfo *t)
{
	int	i;

	t->btype = p[0];
	t->ccols = p[1];
	for (i = 0; i < 4; i++)
		t->rgib[i] = le_get16(p + 2 + 2 * i);
	t->hid_row_index = le_get32(p + 10);
	t->hnid_rows = le_get32(p + 14);
	t->hid_index = le_get32(p + 18);
}

void
pst_tcinfo_put(uint8_t *p, const struct pst_tcinfo *t)
{
	int	i;

	p[0] = t->btype;
	p[1] = t->ccols;
	for (i = 0; i < 4; i++)
		le_put16(p + 2 + 2 * i, t->rgib[i]);
	le_put32(p + 10, t->hid_row_index);
	le_put32(p + 14, t->hnid_rows);
	le_put32(p + 18, t->hid_index);
}

void
pst_tcoldesc_get(const uint8_t *p, struct pst_tcoldesc *c)
{
	c->tag = le_get32(p);
	c->ib = le_get16(p + 4);
	c->cb = p[6];
	c->ibit = p[7];
}

void
pst_tcoldesc_put(uint8_t *p, const struct pst_tcoldesc *c)
{
	le_put32(p, c->tag);
	le_put16(p + 4, c->ib);
	p[6] = c->cb;
	p[7] = c->ibit;
}

void
pst_nameid_get(const uint8_t *p, struct pst_nameid *n)
{
	n->id = le_get32(p);
	n->guid = le_get16(p + 4);
	n->prop_idx = le_get16(p + 6);
}

void
pst_nameid_put(uint8_t *p, const struct pst_nameid *n)
{
	le_put32(p, n->id);
	le_put16(p + 4, n->guid);
	le_put16(p + 6, n->prop_idx);
}
