/* pstw_msg.c: the PST writer's property lists and messages: properties,
 * recipients, attachments (embedded messages too) and their
 * contents-table rows. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pstw_int.h"
#include "le.h"
#include "pst/format.h"
#include "pst/mapi.h"
#include "xmalloc.h"

/* ---- property lists ---- */

struct prop *
pstw_props_get(const struct pstw_props *p, uint16_t id)
{
	size_t	i;

	for (i = 0; i < p->n; i++)
		if (p->v[i].id == id)
			return &p->v[i];
	return NULL;
}

/* Store a value, taking ownership of data. */
void
pstw_props_take(struct pstw_props *p, uint16_t id, uint16_t type, uint8_t *data,
    size_t len)
{
	struct prop	*e = pstw_props_get(p, id);

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

void
pstw_props_free(struct pstw_props *p)
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
	pstw_props_take(p, id, type, xmemdup(data, len), len);
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
	uint8_t	*u = pstw_utf16(s, &len);

	pstw_props_take(p, id, MAPI_PT_UNICODE, u, len);
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
	size_t	  i, total;
	uint8_t	 *b;

	for (i = 0; i < n; i++)
		u[i] = pstw_utf16(s[i], &l[i]);
	b = pstw_mv_pack(u, l, n, &total);
	pstw_props_take(p, id, MAPI_PT_MV_UNICODE, b, total);
}

/* A multi-valued variable-size value: the count, each part's offset,
 * then the parts (MS-PST 2.3.3.4.2). Takes the parts and both arrays;
 * the result (*total bytes) is the caller's. */
uint8_t *
pstw_mv_pack(uint8_t **part, size_t *plen, size_t n, size_t *total)
{
	size_t	 i, off;
	uint8_t	*b;

	*total = 4 + 4 * n;
	for (i = 0; i < n; i++)
		*total += plen[i];
	b = xmalloc(*total);
	le_put32(b, n);
	off = 4 + 4 * n;
	for (i = 0; i < n; i++) {
		le_put32(b + 4 + 4 * i, off);
		memcpy(b + off, part[i], plen[i]);
		off += plen[i];
		free(part[i]);
	}
	free(part);
	free(plen);
	return b;
}

/* ---- messages ---- */


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
	pstw_props_free(&m->props);
	for (i = 0; i < m->nrcpt; i++) {
		pstw_props_free(m->rcpt[i]);
		free(m->rcpt[i]);
	}
	free(m->rcpt);
	for (i = 0; i < m->natt; i++) {
		pstw_props_free(&m->att[i]->props);
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
	a->ole = 0;
	pstw_msg_free(a->embed);
	a->embed = NULL;
}

void
pstw_attach_ole(struct pstw_attach *a, const void *data, size_t len)
{
	pstw_attach_data(a, data, len);
	a->ole = 1;
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
		enid = pstw_node_nid(&nd, PST_NID_TYPE_NORMAL_MESSAGE);
		pstw_node_add(&nd, enid, data, sub);
		le_put32(obj, enid);
		le_put32(obj + 4, (uint32_t)size);
		pstw_set_raw(&a->props, MAPI_ID_ATTACH_DATA, MAPI_PT_OBJECT,
		    obj, 8);
		if (pstw_props_get(&a->props, MAPI_ID_ATTACH_METHOD) == NULL)
			pstw_set_i4(&a->props, MAPI_ID_ATTACH_METHOD,
			    MAPI_ATTACH_EMBEDDED_MSG);
		if (pstw_props_get(&a->props, MAPI_ID_ATTACH_SIZE) == NULL)
			pstw_set_i4(&a->props, MAPI_ID_ATTACH_SIZE,
			    (int32_t)size);
	} else if (a->hasdata && a->ole) {
		enid = pstw_node_nid(&nd, PST_NID_TYPE_LTP);
		pstw_node_add(&nd, enid, pstw_data_write(w, a->data, a->len),
		    0);
		le_put32(obj, enid);
		le_put32(obj + 4, (uint32_t)a->len);
		pstw_set_raw(&a->props, MAPI_ID_ATTACH_DATA, MAPI_PT_OBJECT,
		    obj, 8);
		if (pstw_props_get(&a->props, MAPI_ID_ATTACH_METHOD) == NULL)
			pstw_set_i4(&a->props, MAPI_ID_ATTACH_METHOD,
			    MAPI_ATTACH_OLE);
		if (pstw_props_get(&a->props, MAPI_ID_ATTACH_SIZE) == NULL)
			pstw_set_i4(&a->props, MAPI_ID_ATTACH_SIZE,
			    (int32_t)a->len);
	} else if (a->hasdata) {
		pstw_props_take(&a->props, MAPI_ID_ATTACH_DATA, MAPI_PT_BINARY,
		    a->data, a->len);
		a->data = NULL;
		if (pstw_props_get(&a->props, MAPI_ID_ATTACH_METHOD) == NULL)
			pstw_set_i4(&a->props, MAPI_ID_ATTACH_METHOD,
			    MAPI_ATTACH_BY_VALUE);
		if (pstw_props_get(&a->props, MAPI_ID_ATTACH_SIZE) == NULL)
			pstw_set_i4(&a->props, MAPI_ID_ATTACH_SIZE,
			    (int32_t)a->len);
	}
	if (pstw_props_get(&a->props, MAPI_ID_RENDERING_POSITION) == NULL)
		pstw_set_i4(&a->props, MAPI_ID_RENDERING_POSITION, -1);
	data = pstw_pc_build(w, &nd, a->props.v, a->props.n, &size);
	sub = pstw_node_finish(w, &nd);
	pstw_node_add(mnd, nid, data, sub);
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
		pstw_node_add(&nd, PST_NID_RECIPIENT_TABLE, w->emptyrcpt, 0);
		w->bbt[w->emptyrcptidx].cref++;
	} else {
		data = pstw_tc_build(w, &tn, cols_rcpt, NITEMS(cols_rcpt), 1,
		    m->nrcpt, pstw_props_row, &pr);
		tsub = pstw_node_finish(w, &tn);
		pstw_node_add(&nd, PST_NID_RECIPIENT_TABLE, data, tsub);
		if (m->nrcpt == 0) {
			w->emptyrcpt = data;
			w->emptyrcptidx = w->nbbt - 1;
		}
	}
	if (pstw_props_get(&m->props, MAPI_ID_MESSAGE_SIZE) == NULL)
		pstw_set_i4(&m->props, MAPI_ID_MESSAGE_SIZE,
		    (int32_t)msg_size(m));
	if (m->natt > 0) {
		ap = xreallocarray(NULL, m->natt, sizeof *ap);
		ids = xreallocarray(NULL, m->natt, sizeof *ids);
		for (i = 0; i < m->natt; i++) {
			ids[i] = pstw_node_nid(&nd, PST_NID_TYPE_ATTACHMENT);
			attach_build(w, &nd, m->att[i], ids[i]);
			ap[i] = &m->att[i]->props;
		}
		pr.p = ap;
		pr.ids = ids;
		data = pstw_tc_build(w, &tn, cols_att, NITEMS(cols_att), 0,
		    m->natt, pstw_props_row, &pr);
		tsub = pstw_node_finish(w, &tn);
		pstw_node_add(&nd, PST_NID_ATTACHMENT_TABLE, data, tsub);
		free(ap);
		free(ids);
	}
	data = pstw_pc_build(w, &nd, m->props.v, m->props.n, size);
	*sub = pstw_node_finish(w, &nd);
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
		p = pstw_props_get(&m->props, MAPI_TAG_ID(cols_contents[i]));
		if (p == NULL && cols_contents[i] ==
		    MAPI_TAG(MAPI_ID_MESSAGE_DELIVERY_TIME, MAPI_PT_SYSTIME))
			p = pstw_props_get(&m->props, MAPI_ID_CREATION_TIME);
		if (p == NULL ||
		    p->type != MAPI_TAG_TYPE(pstw_col_tag(w, cols_contents[i])))
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

int
pstw_msg_write(struct pstw *w, uint32_t folder, struct pstw_msg *m,
    uint32_t *nidp, char **cause)
{
	struct folder	*f = pstw_folder_find(w, folder);
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
	pstw_nbt_add(w, nid, data, sub, folder);
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
