/* pstwrite.c: write PST files (MS-PST): open and close, folders, the
 * store and the name map (the layers below: pstw_int.h). */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pstw_int.h"
#include "le.h"
#include "pst/crc.h"
#include "pst/format.h"
#include "pst/mapi.h"
#include "xmalloc.h"

/* Set of the throw-away last name-map entry (trap T3): private to us. */
static const uint8_t ps_pstw[16] = { 0x70, 0x73, 0x74, 0x64, 0x65, 0x64,
	0x75, 0x70, 0x8A, 0x11, 0x5E, 0x7C, 0x3D, 0x2B, 0x90, 0x01 };


struct folder *
pstw_folder_find(struct pstw *w, uint32_t nid)
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
	pstw_region_start(w, 0);
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
	if (pstw_folder_find(w, parent) == NULL) {
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
	uint8_t	*u = pstw_utf16(name, &len);

	return named_add(w, guid, 0, u, len);
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
	data = pstw_pc_build(w, &nd, pc.v, pc.n, &total);
	sub = pstw_node_finish(w, &nd);
	pstw_nbt_add(w, f->nid, data, sub, f->parent);
	pstw_props_free(&pc);

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
	data = pstw_tc_build(w, &nd, cols_hier, NITEMS(cols_hier), 0, nk,
	    pstw_props_row, &pr);
	pstw_nbt_add(w, pst_nid_sibling(f->nid, PST_NID_TYPE_HIERARCHY_TABLE),
	    data, pstw_node_finish(w, &nd), 0);
	for (i = 0; i < nk; i++) {
		pstw_props_free(kids[i]);
		free(kids[i]);
	}
	free(kids);
	free(ids);

	cr.f = f;
	data = pstw_tc_build(w, &nd, cols_contents, NITEMS(cols_contents), 0,
	    f->nrows, contents_row, &cr);
	pstw_nbt_add(w, pst_nid_sibling(f->nid, PST_NID_TYPE_CONTENTS_TABLE),
	    data, pstw_node_finish(w, &nd), 0);

	pr.p = NULL;
	pr.ids = NULL;
	data = pstw_tc_build(w, &nd, cols_fai, NITEMS(cols_fai), 0, 0,
	    pstw_props_row, &pr);
	pstw_nbt_add(w, pst_nid_sibling(f->nid,
	    PST_NID_TYPE_ASSOC_CONTENTS_TABLE), data, pstw_node_finish(w, &nd),
	    0);
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
	data = pstw_pc_build(w, &nd, pc.v, pc.n, &total);
	pstw_nbt_add(w, PST_NID_MESSAGE_STORE, data, pstw_node_finish(w, &nd),
	    0);
	pstw_props_free(&pc);
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
	pstw_props_take(&pc, PST_NAMEMAP_ENTRIES, MAPI_PT_BINARY, ent,
	    w->nnames * 8);
	pstw_props_take(&pc, PST_NAMEMAP_STRINGS, MAPI_PT_BINARY, str, slen);
	for (b = 0; b < NBUCKETS; b++)
		if (nbk[b] > 0)
			pstw_props_take(&pc, PST_NAMEMAP_BUCKET0 + b,
			    MAPI_PT_BINARY, bk[b], nbk[b] * 8);
	free(bk);
	free(nbk);
	data = pstw_pc_build(w, &nd, pc.v, pc.n, &total);
	pstw_nbt_add(w, PST_NID_NAME_TO_ID_MAP, data, pstw_node_finish(w, &nd),
	    0);
	pstw_props_free(&pc);
}

static int
nbt_cmp(const void *a, const void *b)
{
	const struct nbtent	*x = a, *y = b;

	return x->nid < y->nid ? -1 : x->nid > y->nid;
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
	data = pstw_tc_build(w, &nd, cols, ncols, 0, nrows, pstw_props_row,
	    &pr);
	pstw_nbt_add(w, nid, data, pstw_node_finish(w, &nd), 0);
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
	pstw_props_free(&recv);
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
	pstw_btree_write(w, 0, &bbt.bid, &bbt.ib);
	pstw_btree_write(w, 1, &nbt.bid, &nbt.ib);
	pstw_region_finish(w);
	n = w->region;
	eof = PST_REGION0 + (n + 1) * PST_REGION_SIZE;
	/* ANSI files hold 32-bit offsets, and Outlook stops at 2 GB. */
	if (w->l->kind == PST_ANSI && eof > 0x80000000ULL && w->werr == 0)
		w->werr = EFBIG;
	for (r = 128; r <= n; r += MAPBITS) {
		for (j = 0; j < MAPBITS; j++)
			body[j] = r + j <= n ? w->maxfree[r + j] : 0;
		pstw_map_page(w, PST_REGION0 + r * PST_REGION_SIZE +
		    2 * PST_PAGE_SIZE, PST_PTYPE_FMAP, body);
	}
	pstw_header_write(w, eof, PST_REGION0 + n * PST_REGION_SIZE, &nbt,
	    &bbt);
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
