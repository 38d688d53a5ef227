/* test_pstformat.c: every get of src/pst/format.c against its put, in the
 * three file forms; the CRC and the encodings against known values. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "le.h"
#include "pst/crc.h"
#include "pst/crypt.h"
#include "pst/format.h"

/* Field by field: structs have padding that memcmp would compare. */
#define SAME(a, b, f)	cr_assert_eq((a).f, (b).f, "field %s", #f)

static const enum pst_kind kinds[] = { PST_ANSI, PST_UNICODE, PST_UNICODE4K };
#define NKINDS	(sizeof kinds / sizeof kinds[0])

/* Values that fit every form (32-bit where ANSI stores 32 bits). */
static uint64_t
big(const struct pst_layout *l, uint64_t v)
{
	return l->id_size == 4 ? (uint32_t)v : v;
}

static void
fill_header(struct pst_header *h, const struct pst_layout *l)
{
	int	i;

	memset(h, 0, sizeof *h);
	h->magic = PST_MAGIC;
	h->magic_client = PST_MAGIC_CLIENT_PST;
	h->ver = l->kind == PST_ANSI ? PST_VER_ANSI15 :
	    l->kind == PST_UNICODE ? PST_VER_UNICODE : PST_VER_UNICODE4K;
	h->ver_client = PST_VER_CLIENT;
	h->platform_create = h->platform_access = 1;
	h->bid_next_p = big(l, 0x1122334455667788ULL);
	h->bid_next_b = big(l, 0x99AABBCCDDEEFF04ULL);
	h->unique = 0xCAFEBABE;
	for (i = 0; i < PST_NID_HWM; i++)
		h->rgnid[i] = 0x400 + (uint32_t)i;
	h->root.file_eof = big(l, 0x123456789ULL);
	h->root.amap_last = big(l, 0x4400);
	h->root.amap_free = big(l, 0x3AD40);
	h->root.pmap_free = 7;
	h->root.nbt.bid = big(l, 0x1000000000000D0ULL);
	h->root.nbt.ib = big(l, 0x2000000000004800ULL);
	h->root.bbt.bid = big(l, 0x3000000000000E0ULL);
	h->root.bbt.ib = big(l, 0x4000000000004A00ULL);
	h->root.amap_valid = PST_AMAP_VALID2;
	memset(h->rgb_fm, 0xFF, sizeof h->rgb_fm);
	memset(h->rgb_fp, 0xFE, sizeof h->rgb_fp);
	h->sentinel = PST_SENTINEL;
	h->crypt = PST_CRYPT_CYCLIC;
}

Test(pstformat, header_roundtrip)
{
	uint8_t			 buf[PST_HEADER_MAX], again[PST_HEADER_MAX];
	struct pst_header	 h, g;
	const struct pst_layout	*l;
	size_t			 i, n;

	for (i = 0; i < NKINDS; i++) {
		l = pst_layout(kinds[i]);
		fill_header(&h, l);
		n = pst_header_put(&h, buf);
		cr_assert_eq(n, l->header_size);
		cr_assert_eq(pst_header_get(buf, n, &g), 0);
		cr_assert_eq(g.crc_partial, pst_header_crc_partial(buf));
		cr_assert_eq(le_get32(buf + 4), pst_crc32(0, buf + 8, 471));
		g.crc_partial = h.crc_partial;
		if (kinds[i] != PST_ANSI) {
			cr_assert_eq(le_get32(buf + 524),
			    pst_crc32(0, buf + 8, 516));
			g.crc_full = h.crc_full;
		}
		SAME(g, h, magic); SAME(g, h, magic_client); SAME(g, h, ver);
		SAME(g, h, ver_client); SAME(g, h, platform_create);
		SAME(g, h, platform_access); SAME(g, h, bid_next_p);
		SAME(g, h, bid_next_b); SAME(g, h, unique);
		SAME(g, h, root.file_eof); SAME(g, h, root.amap_last);
		SAME(g, h, root.amap_free); SAME(g, h, root.pmap_free);
		SAME(g, h, root.nbt.bid); SAME(g, h, root.nbt.ib);
		SAME(g, h, root.bbt.bid); SAME(g, h, root.bbt.ib);
		SAME(g, h, root.amap_valid); SAME(g, h, sentinel);
		SAME(g, h, crypt);
		cr_assert(memcmp(g.rgnid, h.rgnid, sizeof h.rgnid) == 0);
		cr_assert(memcmp(g.rgb_fm, h.rgb_fm, sizeof h.rgb_fm) == 0);
		cr_assert(memcmp(g.rgb_fp, h.rgb_fp, sizeof h.rgb_fp) == 0);
		cr_assert_eq(pst_header_put(&g, again), n);
		cr_assert(memcmp(buf, again, sizeof buf) == 0);
		/* Known positions: MS-PST 2.2.2.6. */
		if (kinds[i] == PST_ANSI) {
			cr_assert_eq(buf[461], PST_CRYPT_CYCLIC);
			cr_assert_eq(buf[460], PST_SENTINEL);
			cr_assert_eq(le_get32(buf + 188),
			    (uint32_t)h.root.nbt.ib);
			cr_assert_eq(le_get32(buf + 196),
			    (uint32_t)h.root.bbt.ib);
			cr_assert_eq(le_get32(buf + 168),
			    (uint32_t)h.root.file_eof);
		} else {
			cr_assert_eq(buf[513], PST_CRYPT_CYCLIC);
			cr_assert_eq(buf[512], PST_SENTINEL);
			cr_assert_eq(le_get64(buf + 224), h.root.nbt.ib);
			cr_assert_eq(le_get64(buf + 240), h.root.bbt.ib);
			cr_assert_eq(le_get64(buf + 184), h.root.file_eof);
			cr_assert_eq(le_get64(buf + 516), h.bid_next_b);
		}
		/* Too short for its form, or an unknown version. */
		cr_assert_eq(pst_header_get(buf, n - 1, &g), -1);
		le_put16(buf + 10, 22);
		cr_assert_eq(pst_header_get(buf, n, &g), -1);
	}
}

Test(pstformat, page_records)
{
	uint8_t			 page[PST_PAGE4K_SIZE], again[PST_PAGE4K_SIZE];
	const struct pst_layout	*l;
	struct pst_ptrailer	 t = { 0x81, 0x81, 0xBEEF, 0x12345678, 0 }, u;
	struct pst_btpage	 b, c;
	size_t			 i;

	for (i = 0; i < NKINDS; i++) {
		l = pst_layout(kinds[i]);
		memset(page, 0xA5, sizeof page);
		t.bid = big(l, 0x0102030405060708ULL);
		pst_ptrailer_put(l, page, &t);
		pst_ptrailer_get(l, page, &u);
		SAME(t, u, ptype); SAME(t, u, ptype_repeat); SAME(t, u, sig);
		SAME(t, u, crc); SAME(t, u, bid);
		cr_assert_eq(page[l->page_trailer_off], 0x81);
		cr_assert_eq(page[l->page_size - (kinds[i] == PST_UNICODE4K ?
		    24 : kinds[i] == PST_ANSI ? 12 : 16)], 0x81);
		b.cent = kinds[i] == PST_UNICODE4K ? 300 : 15;
		b.cent_max = kinds[i] == PST_UNICODE4K ? 169 : 20;
		b.cb_ent = (uint8_t)l->bt_nbtentry;
		b.level = 2;
		pst_btpage_put(l, page, &b);
		pst_btpage_get(l, page, &c);
		SAME(b, c, cent); SAME(b, c, cent_max); SAME(b, c, cb_ent);
		SAME(b, c, level);
		memcpy(again, page, sizeof page);
		pst_btpage_put(l, again, &c);
		pst_ptrailer_put(l, again, &u);
		cr_assert(memcmp(page, again, l->page_size) == 0);
	}
	/* 4K: 2-byte cEnt at 4056, trailer at 4072, BID at 4080. */
	cr_assert_eq(le_get16(page + 4056), 300);
	cr_assert_eq(le_get64(page + 4080), 0x0102030405060708ULL);
	cr_assert_eq(pst_layout(PST_UNICODE)->bt_entries_len, 488);
	cr_assert_eq(pst_layout(PST_ANSI)->bt_entries_len, 496);
}

Test(pstformat, btree_entries)
{
	uint8_t			 e[32], f[32];
	const struct pst_layout	*l;
	struct pst_btentry	 bt, bt2;
	struct pst_nbtentry	 nb, nb2;
	struct pst_bbtentry	 bb, bb2;
	size_t			 i;

	for (i = 0; i < NKINDS; i++) {
		l = pst_layout(kinds[i]);
		bt.key = big(l, 0xA0000000000021ULL);
		bt.bref.bid = big(l, 0xB00000000000044ULL);
		bt.bref.ib = big(l, 0xC00000000004800ULL);
		memset(e, 0, sizeof e);
		pst_btentry_put(l, e, &bt);
		pst_btentry_get(l, e, &bt2);
		SAME(bt, bt2, key); SAME(bt, bt2, bref.bid);
		SAME(bt, bt2, bref.ib);

		nb.nid = 0x200024;
		nb.bid_data = big(l, 0xD000000000000008ULL);
		nb.bid_sub = big(l, 0xE00000000000000AULL);
		nb.nid_parent = 0x8022;
		memset(e, 0xFF, sizeof e);
		pst_nbtentry_put(l, e, &nb);
		pst_nbtentry_get(l, e, &nb2);
		SAME(nb, nb2, nid); SAME(nb, nb2, bid_data);
		SAME(nb, nb2, bid_sub);
		SAME(nb, nb2, nid_parent);
		cr_assert_eq(le_get32(e + 3 * l->id_size), 0x8022);

		bb.bref.bid = big(l, 0xF000000000000004ULL);
		bb.bref.ib = big(l, 0x10000000000A000ULL);
		bb.cb = 380;
		bb.cb_inflated = kinds[i] == PST_UNICODE4K ? 558 : 380;
		bb.cref = 2;
		pst_bbtentry_put(l, e, &bb);
		pst_bbtentry_get(l, e, &bb2);
		SAME(bb, bb2, bref.bid); SAME(bb, bb2, bref.ib);
		SAME(bb, bb2, cb);
		SAME(bb, bb2, cb_inflated); SAME(bb, bb2, cref);
		memcpy(f, e, sizeof f);
		pst_bbtentry_put(l, f, &bb2);
		cr_assert(memcmp(e, f, l->bt_bbtentry) == 0);
	}
}

Test(pstformat, block_records)
{
	uint8_t			 p[64], q[64];
	const struct pst_layout	*l;
	struct pst_btrailer	 t, u;
	struct pst_xblock	 x = { 1, 2, 1021, 8347696 }, y;
	struct pst_slblock	 s = { 2, 1, 340 }, s2;
	struct pst_slentry	 se, se2;
	struct pst_sientry	 si, si2;
	size_t			 i;

	for (i = 0; i < NKINDS; i++) {
		l = pst_layout(kinds[i]);
		t.cb = 8176;
		t.sig = pst_sig(0x4800, 0x44);
		t.crc = 0xDEADBEEF;
		t.bid = big(l, 0x7700000000000044ULL);
		t.cb_inflated = kinds[i] == PST_UNICODE4K ? 20000 : 8176;
		pst_btrailer_put(l, p, &t);
		pst_btrailer_get(l, p, &u);
		SAME(t, u, cb); SAME(t, u, sig); SAME(t, u, crc);
		SAME(t, u, bid);
		SAME(t, u, cb_inflated);
		cr_assert_eq(le_get16(p), 8176);

		pst_xblock_put(p, &x);
		pst_xblock_get(p, &y);
		SAME(x, y, btype); SAME(x, y, level); SAME(x, y, cent);
		SAME(x, y, lcb_total);
		pst_bid_put(l, p + PST_XBLOCK_HDR,
		    big(l, 0x5500000000000048ULL));
		cr_assert_eq(pst_bid_get(l, p + PST_XBLOCK_HDR),
		    big(l, 0x5500000000000048ULL));

		memset(p, 0xEE, sizeof p);
		pst_slblock_put(l, p, &s);
		pst_slblock_get(p, &s2);
		SAME(s, s2, btype); SAME(s, s2, level); SAME(s, s2, cent);
		se.nid = 0x8025;
		se.bid_data = big(l, 0x6600000000000010ULL);
		se.bid_sub = big(l, 0x660000000000001EULL);
		pst_slentry_put(l, p + l->sl_hdr, &se);
		pst_slentry_get(l, p + l->sl_hdr, &se2);
		SAME(se, se2, nid); SAME(se, se2, bid_data);
		SAME(se, se2, bid_sub);
		si.nid = 0x671;
		si.bid = big(l, 0x660000000000002AULL);
		pst_sientry_put(l, q, &si);
		pst_sientry_get(l, q, &si2);
		SAME(si, si2, nid); SAME(si, si2, bid);
	}
	/* Sizes: 64-byte multiples, 512 in 4K files. */
	cr_assert_eq(pst_block_size(pst_layout(PST_UNICODE), 8176), 8192);
	cr_assert_eq(pst_block_size(pst_layout(PST_UNICODE), 1), 64);
	cr_assert_eq(pst_block_size(pst_layout(PST_UNICODE), 49), 128);
	cr_assert_eq(pst_block_size(pst_layout(PST_ANSI), 52), 64);
	cr_assert_eq(pst_block_size(pst_layout(PST_UNICODE4K), 172), 512);
	cr_assert_eq(pst_sig(0x4800, 0x44), (uint16_t)(0x4844 ^ 0));
}

Test(pstformat, heap_records)
{
	uint8_t			 p[PST_TCINFO_SIZE + PST_TCOLDESC_SIZE];
	const struct pst_layout	*l;
	struct pst_hnhdr	 h = { 0x1FEC, PST_HN_SIG, PST_HN_CLIENT_PC,
	    0x20, { 1, 2, 3, 4 } }, h2;
	struct pst_hnpagemap	 m = { 7, 0 }, m2;
	struct pst_bthheader	 b = { PST_HN_CLIENT_BTH, 2, 6, 1, 0x10040 },
	    b2;
	struct pst_pcrecord	 r = { 0x3001, 0x001F, 0x60 }, r2;
	struct pst_tcinfo	 t = { PST_HN_CLIENT_TC, 11, { 40, 44, 46, 48 },
	    0x20, 0x1F, 0 }, t2;
	struct pst_tcoldesc	 c = { 0x3001001F, 8, 4, 2 }, c2;
	struct pst_nameid	 n = { 0x820D, 3 << 1, 0 }, n2;
	size_t			 i;

	pst_hnhdr_put(p, &h);
	pst_hnhdr_get(p, &h2);
	SAME(h, h2, ib_hnpm); SAME(h, h2, sig); SAME(h, h2, client_sig);
	SAME(h, h2, hid_user_root);
	cr_assert(memcmp(h.fill, h2.fill, sizeof h.fill) == 0);
	cr_assert_eq(p[2], 0xEC);
	cr_assert_eq(p[3], 0xBC);
	pst_hnpagemap_put(p, &m);
	pst_hnpagemap_get(p, &m2);
	SAME(m, m2, calloc); SAME(m, m2, cfree);
	pst_bthheader_put(p, &b);
	pst_bthheader_get(p, &b2);
	SAME(b, b2, btype); SAME(b, b2, cb_key); SAME(b, b2, cb_ent);
	SAME(b, b2, idx_levels); SAME(b, b2, hid_root);
	pst_pcrecord_put(p, &r);
	pst_pcrecord_get(p, &r2);
	SAME(r, r2, prop_id); SAME(r, r2, prop_type); SAME(r, r2, hnid);
	cr_assert_eq(le_get16(p), 0x3001);
	pst_tcinfo_put(p, &t);
	pst_tcoldesc_put(p + PST_TCINFO_SIZE, &c);
	pst_tcinfo_get(p, &t2);
	pst_tcoldesc_get(p + PST_TCINFO_SIZE, &c2);
	SAME(t, t2, btype); SAME(t, t2, ccols); SAME(t, t2, rgib[0]);
	SAME(t, t2, rgib[1]); SAME(t, t2, rgib[2]); SAME(t, t2, rgib[3]);
	SAME(t, t2, hid_row_index); SAME(t, t2, hnid_rows);
	SAME(t, t2, hid_index);
	SAME(c, c2, tag); SAME(c, c2, ib); SAME(c, c2, cb); SAME(c, c2, ibit);
	cr_assert_eq(le_get32(p + 14), 0x1F);
	pst_nameid_put(p, &n);
	pst_nameid_get(p, &n2);
	SAME(n, n2, id); SAME(n, n2, guid); SAME(n, n2, prop_idx);

	cr_assert_eq(pst_hn_block_hdr_size(0), 12);
	cr_assert_eq(pst_hn_block_hdr_size(1), 2);
	cr_assert_eq(pst_hn_block_hdr_size(8), 66);
	cr_assert_eq(pst_hn_block_hdr_size(136), 66);
	cr_assert_eq(pst_hn_block_hdr_size(137), 2);

	/* HIDs: 0x20 is block 0's first allocation; 4K moves the split. */
	for (i = 0; i < NKINDS; i++) {
		l = pst_layout(kinds[i]);
		cr_assert_eq(pst_hid_make(l, 0, 0), 0x20);
		cr_assert_eq(pst_hid_block(l, pst_hid_make(l, 5, 2046)), 5);
		cr_assert_eq(pst_hid_index(l, pst_hid_make(l, 5, 2046)), 2047);
	}
	cr_assert_eq(pst_hid_make(pst_layout(PST_UNICODE), 1, 0), 0x10020);
	cr_assert_eq(pst_hid_make(pst_layout(PST_UNICODE4K), 1, 0), 0x80020);
	cr_assert_eq(pst_nid_sibling(0x122, PST_NID_TYPE_CONTENTS_TABLE),
	    0x12E);
	cr_assert_eq(pst_nid_make(PST_NID_TYPE_NORMAL_MESSAGE, 0x10001),
	    0x200024);
	cr_assert(pst_hnid_is_hid(0x20));
	cr_assert(!pst_hnid_is_hid(0x8025));
}

/* MS-PST 5.3's CRC one bit at a time: the reference. */
static uint32_t
crc_bitwise(uint32_t crc, const uint8_t *p, size_t len)
{
	int	k;

	while (len-- > 0) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = crc & 1 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
	}
	return crc;
}

Test(pstformat, crc_vectors)
{
	static const uint8_t	zero[100];
	uint8_t			buf[1000];
	size_t			i;

	/* "123456789": the reflected CRC-32 with init 0, no final XOR. */
	cr_assert_eq(pst_crc32(0, "123456789", 9), 0x2DFD2D88);
	cr_assert_eq(pst_crc32(0, zero, sizeof zero), 0);
	cr_assert_eq(pst_crc32(0, "", 0), 0);
	for (i = 0; i < sizeof buf; i++)
		buf[i] = (uint8_t)(i * 7 + 3);
	/* Chaining across any split equals one call. */
	for (i = 0; i < 20; i++)
		cr_assert_eq(pst_crc32(pst_crc32(0, buf, i), buf + i,
		    sizeof buf - i), pst_crc32(0, buf, sizeof buf));
	/* Against MS-PST's bitwise definition, from a non-zero start. */
	for (i = 0; i < sizeof buf; i += 97)
		cr_assert_eq(pst_crc32(0x12345678, buf, i),
		    crc_bitwise(0x12345678, buf, i), "length %zu", i);
}

Test(pstformat, crypt)
{
	uint8_t	all[256], b[256];
	uint8_t	s[] = "pstdedup";
	size_t	i;

	for (i = 0; i < 256; i++)
		all[i] = (uint8_t)i;
	memcpy(b, all, sizeof b);
	pst_permute_encode(b, sizeof b);
	/* mpbbCrypt's first bytes (MS-PST 5.1). */
	cr_assert_eq(b[0], 0x41);
	cr_assert_eq(b[1], 0x36);
	cr_assert_eq(b[2], 0x13);
	pst_permute_decode(b, sizeof b);
	cr_assert(memcmp(b, all, sizeof b) == 0);
	pst_permute_encode(s, 8);
	cr_assert(memcmp(s, "\x7e\xeb\x82\xfa\xea\xfa\x78\x7e", 8) == 0);
	memcpy(b, all, sizeof b);
	pst_permute_decode(b, sizeof b);
	cr_assert_eq(b[0x41], 0);
	cr_assert_eq(b[0], 0x47);

	memcpy(s, "pstdedup", 8);
	pst_cyclic(s, 8, 0x12345678);
	cr_assert(memcmp(s, "\x64\x37\xf8\x57\x99\x98\x56\xd2", 8) == 0);
	pst_cyclic(s, 8, 0x12345678);
	cr_assert(memcmp(s, "pstdedup", 8) == 0);
	memcpy(b, all, sizeof b);
	pst_cyclic(b, sizeof b, 0xFFFF0004);
	cr_assert(memcmp(b, all, sizeof b) != 0);
	pst_cyclic(b, sizeof b, 0xFFFF0004);
	cr_assert(memcmp(b, all, sizeof b) == 0);
}
