/* reader_pst.c: our own backend of the reader (reader_impl.h), over
 * the PST library in src/pst/.
 *
 * The file is opened once (mmap, both B-trees checked and loaded); a
 * folder's children are its node's children by the node B-tree's parent
 * links, in NID order as libpff lists them; a message's properties are
 * read only when the walk asks for them, and exceptions come straight
 * from the attachment subnodes of their master. Values are borrowed from
 * the open property context of their handle. */
#include <limits.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "le.h"
#include "model.h"
#include "reader.h"
#include "reader_impl.h"
#include "xmalloc.h"
#include "pst/format.h"
#include "pst/mapi.h"
#include "pst/pst.h"

#define NAMED_N		0x8000	/* property ids 0x8000-0xFFFF */

/* Attachment methods (PidTagAttachMethod). */

/* The backend's state: the open file and which named property id
 * stands for which slot (slot + 1; 0 none). */
struct pstb {
	struct pst	*f;
	uint8_t		 named[NAMED_N];
};

/* A folder's contents table, by message NID, for message classes. */
struct prow {
	uint32_t	 nid;
	uint32_t	 row;
};

/* A handle: a node (folder, message) or a subnode (attachment, embedded
 * message), its property context once opened, and its tables. */
struct psth {
	uint32_t	 nid;
	struct psth	*folder;	/* a message's folder, while walked */
	struct pst_tc	*contents;	/* a folder's contents table */
	struct prow	*rows;		/* ...its rows sorted by NID */
	size_t		 nrows;
	int		 contents_done;
	int		 sub;		/* pc came from a parent's subnode */
	struct pst_pc	*pc;
	struct pst_tc	*rcpts;
	int		 rcpts_done;
	struct pst_tc	*atts;
	int		 atts_done;
	/* An attachment's data stream. */
	int		 has_data;
	const uint8_t	*data;
	size_t		 len;
	size_t		 off;
};

static struct psth *ph_new(uint32_t);
static int	 ph_pc(struct rd *, struct psth *, char **);
static int	 ph_table(struct psth *, uint32_t, struct pst_tc **, int *,
		    char **);
static int	 named_slots(struct pstb *, char **);
static int	 slot_for(const struct pstb *, uint16_t);
static int	 pb_open(struct rd *, const char *, char **);
static void	 pb_close(struct rd *);
static int	 pb_root(struct rd *, void **, char **);
static int	 pb_store(struct rd *, void **, char **);
static char	*pb_folder_name(struct rd *, void *);
static int	 pb_props(struct rd *, void *, struct rd_props *, char **);
static uint64_t	 pb_item_id(struct rd *, void *);
static int	 pb_nchildren(struct rd *, void *, int *, char **);
static int	 pb_child(struct rd *, void *, int, void **, uint32_t *,
		    char **);
static int	 prow_cmp(const void *, const void *);
static void	 contents_load(struct rd *, struct psth *);
static int	 pb_msgclass(struct rd *, void *, char **, char **);
static int	 pb_nrecipients(struct rd *, void *, int *, char **);
static int	 pb_recipient(struct rd *, void *, int, struct rd_props *,
		    char **);
static int	 pb_nattach(struct rd *, void *, int *, char **);
static int	 pb_attach(struct rd *, void *, int, void **,
		    enum rd_att_type *, struct rd_props *, char **);
static int	 pb_attach_item(struct rd *, void *, void **, char **);
static int	 pb_data_size(struct rd *, void *, uint64_t *, char **);
static int	 pb_data_rewind(struct rd *, void *, char **);
static ssize_t	 pb_data_read(struct rd *, void *, uint8_t *, size_t,
		    char **);
static void	 pb_release(struct rd *, void *);

const struct rd_backend rd_pst_backend = {
	.name = "pst",
	.open = pb_open,
	.close = pb_close,
	.root = pb_root,
	.store = pb_store,
	.folder_name = pb_folder_name,
	.props = pb_props,
	.item_id = pb_item_id,
	.nchildren = pb_nchildren,
	.child = pb_child,
	.msgclass = pb_msgclass,
	.nrecipients = pb_nrecipients,
	.recipient = pb_recipient,
	.nattach = pb_nattach,
	.attach = pb_attach,
	.attach_item = pb_attach_item,
	.data_size = pb_data_size,
	.data_rewind = pb_data_rewind,
	.data_read = pb_data_read,
	.release = pb_release,
};

static struct psth *
ph_new(uint32_t nid)
{
	struct psth *h;

	h = xcalloc(1, sizeof *h);
	h->nid = nid;
	return h;
}

/* A node's property context, opened on first use. */
static int
ph_pc(struct rd *rd, struct psth *h, char **cause)
{
	struct pstb *b = rd->be_state;

	if (h->pc != NULL)
		return 0;
	return pst_pc_open(b->f, h->nid, &h->pc, cause);
}

/* A table in a subnode of h (recipients, attachments), opened once;
 * *tc stays NULL when the message has no such subnode, which is no
 * error (a message without attachments has no attachment table). */
static int
ph_table(struct psth *h, uint32_t nid, struct pst_tc **tc, int *done,
    char **cause)
{
	char *why = NULL;

	if (*done)
		return 0;
	*tc = NULL;
	if (!pst_pc_has_sub(h->pc, nid)) {
		*done = 1;
		return 0;
	}
	if (pst_tc_open_sub(h->pc, nid, tc, &why) != 0) {
		*tc = NULL;
		*cause = why != NULL ? why : xstrdup("unreadable table");
		return -1;
	}
	*done = 1;
	return 0;
}

/* Named properties: the id the file gave each wanted name. A name the
 * file does not define has no id and so no property. */
static int
named_slots(struct pstb *b, char **cause)
{
	const uint8_t *guid;
	const char *name;
	uint32_t lid;
	uint16_t id;
	int s, r;

	for (s = 0; s < S_NSLOTS; s++) {
		if (!rd_slot_name(s, &guid, &lid, &name))
			continue;
		if (name != NULL)
			r = pst_named_string(b->f, guid, name, &id, cause);
		else
			r = pst_named_lid(b->f, guid, lid, &id, cause);
		if (r != 0)
			return -1;
		if (id >= NAMED_N && b->named[id - NAMED_N] == 0)
			b->named[id - NAMED_N] = (uint8_t)(s + 1);
	}
	return 0;
}

static int
slot_for(const struct pstb *b, uint16_t id)
{
	if (id < NAMED_N)
		return rd_slot_of(id);
	return (int)b->named[id - NAMED_N] - 1;
}

static int
pb_open(struct rd *rd, const char *path, char **cause)
{
	struct pstb *b;
	uint8_t magic[4];
	char *why = NULL;
	FILE *fp;
	size_t n;

	/* No "!BDN" at all: no PST, nothing for libpff either. */
	if ((fp = fopen(path, "rb")) == NULL) {
		xasprintf(cause, "%s", strerror(errno));
		return READER_NOINPUT;
	}
	n = fread(magic, 1, sizeof magic, fp);
	fclose(fp);
	if (n != sizeof magic || memcmp(magic, "!BDN", 4) != 0) {
		*cause = xstrdup("not a PST or OST file");
		return READER_DATAERR;
	}
	b = xcalloc(1, sizeof *b);
	if (pst_open(path, 0, &b->f, &why) != 0) {
		*cause = why != NULL ? why : xstrdup("unreadable");
		free(b);
		return RD_DAMAGED;
	}
	if (named_slots(b, &why) != 0) {
		xasprintf(cause, "name-to-id map: %s",
		    why != NULL ? why : "unreadable");
		free(why);
		pst_close(b->f);
		free(b);
		return RD_DAMAGED;
	}
	switch (pst_file_layout(b->f)->kind) {
	case PST_ANSI:
		rd->res->file_type = 32;
		break;
	case PST_UNICODE:
		rd->res->file_type = 64;
		break;
	case PST_UNICODE4K:
		rd->res->file_type = 65;
		break;
	}
	rd->be_state = b;
	return 0;
}

static void
pb_close(struct rd *rd)
{
	struct pstb *b = rd->be_state;

	if (b != NULL) {
		pst_close(b->f);
		free(b);
	}
	rd->be_state = NULL;
}

static int
pb_root(struct rd *rd, void **h, char **cause)
{
	struct pstb *b = rd->be_state;

	(void)cause;
	*h = NULL;
	if (pst_node_find(b->f, PST_NID_ROOT_FOLDER) == NULL)
		return 0;
	*h = ph_new(PST_NID_ROOT_FOLDER);
	return 1;
}

static int
pb_store(struct rd *rd, void **h, char **cause)
{
	struct pstb *b = rd->be_state;

	(void)cause;
	*h = NULL;
	if (pst_node_find(b->f, PST_NID_MESSAGE_STORE) == NULL)
		return 0;
	*h = ph_new(PST_NID_MESSAGE_STORE);
	return 1;
}

/* PidTagDisplayName, converted as every other string is. */
static char *
pb_folder_name(struct rd *rd, void *hv)
{
	struct psth *h = hv;
	struct pst_prop v;
	char *why = NULL, *name;

	if (ph_pc(rd, h, &why) != 0 || pst_pc_get(h->pc, MAPI_ID_DISPLAY_NAME,
	    &v, &why) != 1) {
		free(why);
		return NULL;
	}
	name = rd_string(rd, v.type, v.p, v.len);
	if (name != NULL && *name == '\0') {
		free(name);
		name = NULL;
	}
	return name;
}

static int
pb_props(struct rd *rd, void *hv, struct rd_props *p, char **cause)
{
	struct pstb *b = rd->be_state;
	struct psth *h = hv;
	struct pst_prop v;
	char *why;
	size_t i, n;
	int s;

	if (ph_pc(rd, h, cause) != 0)
		return -1;
	n = pst_pc_count(h->pc);
	for (i = 0; i < n; i++) {
		why = NULL;
		if (pst_pc_at(h->pc, i, &v, &why) != 0) {
			/* The value is unreadable: the slot says why, for
			 * whoever uses it. */
			s = slot_for(b, v.id);
			if (s != -1 && !p->v[s].set) {
				p->v[s].set = 1;
				p->v[s].type = v.type;
				p->v[s].data_err = why != NULL ? why :
				    xstrdup("unreadable value");
			} else
				free(why);
			continue;
		}
		rd_val_set(p, slot_for(b, v.id), v.type, v.p, v.len);
	}
	return 0;
}

static uint64_t
pb_item_id(struct rd *rd, void *hv)
{
	(void)rd;
	return ((struct psth *)hv)->nid;
}

static int
pb_nchildren(struct rd *rd, void *hv, int *n, char **cause)
{
	struct pstb *b = rd->be_state;
	size_t k;

	(void)cause;
	pst_children(b->f, ((struct psth *)hv)->nid, &k);
	*n = k > INT32_MAX ? INT32_MAX : (int)k;
	return 0;
}

static int
pb_child(struct rd *rd, void *hv, int i, void **child, uint32_t *id,
    char **cause)
{
	struct pstb *b = rd->be_state;
	struct psth *h = hv;
	const uint32_t *kids;
	size_t k;

	*child = NULL;
	kids = pst_children(b->f, h->nid, &k);
	if (i < 0 || (size_t)i >= k) {
		xasprintf(cause, "child %d of node 0x%x out of range", i,
		    h->nid);
		return -1;
	}
	/* The root folder is its own parent: not its own child. */
	*id = kids[i] == h->nid ? 0 : kids[i];
	*child = ph_new(kids[i]);
	((struct psth *)*child)->folder = h;
	return 0;
}

static int
prow_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct prow *)a)->nid;
	uint32_t y = ((const struct prow *)b)->nid;

	return x < y ? -1 : x > y;
}

/* A folder's contents table (NID type 0x0E beside the folder's), rows
 * indexed by their message NID; none when it cannot be read. */
static void
contents_load(struct rd *rd, struct psth *h)
{
	struct pstb *b = rd->be_state;
	char *why = NULL;
	uint32_t id;
	size_t i, n;

	h->contents_done = 1;
	if (pst_tc_open(b->f, (h->nid & ~0x1Fu) | 0x0E, &h->contents,
	    &why) != 0) {
		free(why);
		h->contents = NULL;
		return;
	}
	n = pst_tc_rows(h->contents);
	h->rows = xreallocarray(NULL, n > 0 ? n : 1, sizeof *h->rows);
	for (i = 0; i < n; i++) {
		why = NULL;
		if (pst_tc_row_id(h->contents, i, &id, &why) != 0) {
			free(why);
			continue;
		}
		h->rows[h->nrows].nid = id;
		h->rows[h->nrows++].row = (uint32_t)i;
	}
	qsort(h->rows, h->nrows, sizeof *h->rows, prow_cmp);
}

/* The class from the folder's contents table when it lists the
 * message, else from the message itself. */
static int
pb_msgclass(struct rd *rd, void *hv, char **cls, char **cause)
{
	struct psth *h = hv, *fo = h->folder;
	struct prow key, *row = NULL;
	struct pst_prop v;
	int r;

	*cls = NULL;
	if (fo != NULL && !fo->contents_done)
		contents_load(rd, fo);
	if (fo != NULL && fo->contents != NULL) {
		key.nid = h->nid;
		row = bsearch(&key, fo->rows, fo->nrows, sizeof *fo->rows,
		    prow_cmp);
	}
	if (row != NULL)
		r = pst_tc_get(fo->contents, row->row, MAPI_ID_MESSAGE_CLASS,
		    &v, cause);
	else if (ph_pc(rd, h, cause) != 0)
		return -1;
	else
		r = pst_pc_get(h->pc, MAPI_ID_MESSAGE_CLASS, &v, cause);
	if (r == -1)
		return -1;
	if (r == 1)
		*cls = rd_string(rd, v.type, v.p, v.len);
	return 0;
}

static int
pb_nrecipients(struct rd *rd, void *hv, int *n, char **cause)
{
	struct psth *h = hv;
	size_t k;

	*n = 0;
	if (ph_pc(rd, h, cause) != 0 || ph_table(h, PST_NID_RECIPIENT_TABLE,
	    &h->rcpts, &h->rcpts_done, cause) != 0)
		return -1;
	if (h->rcpts == NULL)
		return 0;
	k = pst_tc_rows(h->rcpts);
	*n = k > INT32_MAX ? INT32_MAX : (int)k;
	return 0;
}

/* One table row as properties, column by column. */
static int
pb_recipient(struct rd *rd, void *hv, int row, struct rd_props *p,
    char **cause)
{
	struct pstb *b = rd->be_state;
	struct psth *h = hv;
	struct pst_prop v;
	size_t c, ncols;
	uint16_t id;
	int s, r;

	ncols = pst_tc_cols(h->rcpts);
	for (c = 0; c < ncols; c++) {
		id = MAPI_TAG_ID(pst_tc_col_tag(h->rcpts, c));
		if ((s = slot_for(b, id)) == -1 || p->v[s].set)
			continue;
		if ((r = pst_tc_get(h->rcpts, (size_t)row, id, &v,
		    cause)) == -1)
			return -1;
		if (r == 1)
			rd_val_set(p, s, v.type, v.p, v.len);
	}
	return 0;
}

static int
pb_nattach(struct rd *rd, void *hv, int *n, char **cause)
{
	struct psth *h = hv;
	size_t k;

	*n = 0;
	if (ph_pc(rd, h, cause) != 0 || ph_table(h, PST_NID_ATTACHMENT_TABLE,
	    &h->atts, &h->atts_done, cause) != 0)
		return -1;
	if (h->atts == NULL)
		return 0;
	k = pst_tc_rows(h->atts);
	*n = k > INT32_MAX ? INT32_MAX : (int)k;
	return 0;
}

/* Attachment i: the subnode its row names, with its kind told from the
 * method and the type of its data as libpff tells it. */
static int
pb_attach(struct rd *rd, void *hv, int i, void **attp,
    enum rd_att_type *type, struct rd_props *p, char **cause)
{
	struct psth *h = hv, *a;
	struct pst_prop v;
	uint32_t nid, method;
	int r;

	*attp = NULL;
	if (pst_tc_row_id(h->atts, (size_t)i, &nid, cause) != 0) {
		if (*cause == NULL)
			*cause = xstrdup("attachment row without an id");
		return -1;
	}
	a = ph_new(nid);
	a->sub = 1;
	if (pst_pc_open_sub(h->pc, nid, &a->pc, cause) != 0 ||
	    pb_props(rd, a, p, cause) != 0) {
		pb_release(rd, a);
		return -1;
	}
	*type = RD_ATT_OTHER;
	if ((r = pst_pc_get(a->pc, MAPI_ID_ATTACH_METHOD, &v, cause)) == -1) {
		pb_release(rd, a);
		return -1;
	}
	method = r == 1 && v.len >= 4 ? le_get32(v.p) : MAPI_ATTACH_NONE;
	switch (method) {
	case MAPI_ATTACH_NONE:
		break;
	case MAPI_ATTACH_BY_REFERENCE:
		*type = RD_ATT_REF;
		break;
	case MAPI_ATTACH_BY_VALUE:
	case MAPI_ATTACH_EMBEDDED_MSG:
	case MAPI_ATTACH_OLE:
		if ((r = pst_pc_get(a->pc, MAPI_ID_ATTACH_DATA, &v,
		    cause)) != 1) {
			if (r == 0)
				*cause = xstrdup("attachment without data");
			pb_release(rd, a);
			return -1;
		}
		if (v.type == MAPI_PT_BINARY) {
			*type = RD_ATT_DATA;
			a->has_data = 1;
			a->data = v.p;
			a->len = v.len;
		} else if (v.type == MAPI_PT_OBJECT &&
		    method == MAPI_ATTACH_EMBEDDED_MSG)
			*type = RD_ATT_ITEM;
		else if (v.type == MAPI_PT_OBJECT &&
		    method == MAPI_ATTACH_OLE) {
			/* The OLE storage's bytes, as libpff gives them. */
			if (pst_prop_object(&v, &nid) != 0 ||
			    pst_pc_sub_bytes(a->pc, nid, &a->data, &a->len,
			    cause) != 0) {
				if (*cause == NULL)
					*cause = xstrdup("OLE attachment "
					    "without its object");
				pb_release(rd, a);
				return -1;
			}
			*type = RD_ATT_DATA;
			a->has_data = 1;
		} else {
			xasprintf(cause, "unsupported attachment data: method "
			    "%u, type 0x%04x", method, v.type);
			pb_release(rd, a);
			return -1;
		}
		break;
	default:
		xasprintf(cause, "unsupported attachment method: 0x%08x",
		    method);
		pb_release(rd, a);
		return -1;
	}
	*attp = a;
	return 0;
}

/* The embedded message: a subnode of the attachment. */
static int
pb_attach_item(struct rd *rd, void *hv, void **embp, char **cause)
{
	struct psth *h = hv, *e;
	struct pst_prop v;
	uint32_t nid;
	int r;

	(void)rd;
	*embp = NULL;
	if ((r = pst_pc_get(h->pc, MAPI_ID_ATTACH_DATA, &v, cause)) == -1)
		return -1;
	if (r == 0 || pst_prop_object(&v, &nid) != 0) {
		*cause = xstrdup("no embedded message");
		return -1;
	}
	e = ph_new(nid);
	e->sub = 1;
	if (pst_pc_open_sub(h->pc, nid, &e->pc, cause) != 0) {
		pb_release(rd, e);
		return -1;
	}
	*embp = e;
	return 0;
}

static int
pb_data_size(struct rd *rd, void *hv, uint64_t *size, char **cause)
{
	struct psth *h = hv;

	(void)rd;
	(void)cause;
	if (!h->has_data)
		return 0;
	*size = h->len;
	return 1;
}

static int
pb_data_rewind(struct rd *rd, void *hv, char **cause)
{
	(void)rd;
	(void)cause;
	((struct psth *)hv)->off = 0;
	return 0;
}

static ssize_t
pb_data_read(struct rd *rd, void *hv, uint8_t *buf, size_t len,
    char **cause)
{
	struct psth *h = hv;
	size_t n;

	(void)rd;
	(void)cause;
	n = h->len - h->off < len ? h->len - h->off : len;
	if (n > SSIZE_MAX)
		n = SSIZE_MAX;
	if (n > 0)
		memcpy(buf, h->data + h->off, n);
	h->off += n;
	return (ssize_t)n;
}

static void
pb_release(struct rd *rd, void *hv)
{
	struct psth *h = hv;

	(void)rd;
	if (h == NULL)
		return;
	pst_tc_free(h->rcpts);
	pst_tc_free(h->atts);
	pst_tc_free(h->contents);
	free(h->rows);
	pst_pc_free(h->pc);
	free(h);
}
