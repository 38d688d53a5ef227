/* reader_libpff.c: the libpff backend of the reader (reader_impl.h).
 *
 * The only file that includes <libpff.h>. Items are libpff items;
 * folders list their children from libpff's item tree by index. */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpff.h>

#include "model.h"
#include "reader.h"
#include "reader_impl.h"
#include "text.h"
#include "xmalloc.h"

/* A handle: an item, and its recipients once asked for. */
struct pffh {
	libpff_item_t	*item;
	libpff_item_t	*rcpts;
};

static char	*pff_reason(libpff_error_t **);
static struct pffh *pff_handle(libpff_item_t *);
static void	 pff_value(libpff_record_entry_t *, struct rd_val *);
static int	 pff_named(libpff_name_to_id_map_entry_t *);
static int	 pff_collect(libpff_record_set_t *, struct rd_props *,
		    char **);
static int	 pff_open(struct rd *, const char *, char **);
static void	 pff_close(struct rd *);
static int	 pff_root(struct rd *, void **, char **);
static int	 pff_store(struct rd *, void **, char **);
static char	*pff_folder_name(struct rd *, void *);
static int	 pff_props(struct rd *, void *, struct rd_props *, char **);
static uint64_t	 pff_item_id(struct rd *, void *);
static int	 pff_nchildren(struct rd *, void *, int *, char **);
static int	 pff_child(struct rd *, void *, int, void **, uint32_t *,
		    char **);
static int	 pff_nrecipients(struct rd *, void *, int *, char **);
static int	 pff_recipient(struct rd *, void *, int, struct rd_props *,
		    char **);
static int	 pff_nattach(struct rd *, void *, int *, char **);
static int	 pff_attach(struct rd *, void *, int, void **,
		    enum rd_att_type *, struct rd_props *, char **);
static int	 pff_attach_item(struct rd *, void *, void **, char **);
static int	 pff_data_size(struct rd *, void *, uint64_t *, char **);
static int	 pff_data_rewind(struct rd *, void *, char **);
static ssize_t	 pff_data_read(struct rd *, void *, uint8_t *, size_t,
		    char **);
static void	 pff_release(struct rd *, void *);

const struct rd_backend rd_libpff_backend = {
	.name = "libpff",
	.open = pff_open,
	.close = pff_close,
	.root = pff_root,
	.store = pff_store,
	.folder_name = pff_folder_name,
	.props = pff_props,
	.item_id = pff_item_id,
	.nchildren = pff_nchildren,
	.child = pff_child,
	.nrecipients = pff_nrecipients,
	.recipient = pff_recipient,
	.nattach = pff_nattach,
	.attach = pff_attach,
	.attach_item = pff_attach_item,
	.data_size = pff_data_size,
	.data_rewind = pff_data_rewind,
	.data_read = pff_data_read,
	.release = pff_release,
};

const char *
reader_libpff_version(void)
{
	return libpff_get_version();
}

int
reader_libpff_available(void)
{
	return 1;
}

/* libpff's error chain as one line: the innermost message, which names
 * the actual fault, without its function prefix. Frees the error. */
static char *
pff_reason(libpff_error_t **err)
{
	char buf[4096], *p, *s, *colon;

	if (err == NULL || *err == NULL)
		return xstrdup("libpff error");
	buf[0] = '\0';
	if (libpff_error_backtrace_sprint(*err, buf, sizeof buf) < 0 ||
	    buf[0] == '\0')
		libpff_error_sprint(*err, buf, sizeof buf);
	libpff_error_free(err);
	buf[sizeof buf - 1] = '\0';
	s = buf;
	if ((p = strpbrk(s, "\r\n")) != NULL)
		*p = '\0';
	if ((colon = strstr(s, ": ")) != NULL && strchr(s, ' ') > colon)
		s = colon + 2;
	p = s + strlen(s);
	while (p > s && (p[-1] == '.' || p[-1] == ' '))
		*--p = '\0';
	if (*s == '\0')
		return xstrdup("libpff error");
	return text_clean(xstrdup(s));
}

static struct pffh *
pff_handle(libpff_item_t *item)
{
	struct pffh *h;

	h = xcalloc(1, sizeof *h);
	h->item = item;
	return h;
}

/* An entry's type and a copy of its bytes into a slot; what cannot be
 * read is kept as the reason, reported only if the value is used. */
static void
pff_value(libpff_record_entry_t *e, struct rd_val *v)
{
	libpff_error_t *err = NULL;
	uint32_t vt = 0;
	size_t n = 0;

	v->set = 1;
	if (libpff_record_entry_get_value_type(e, &vt, &err) != 1)
		v->type_err = pff_reason(&err);
	else
		v->type = vt;
	if (libpff_record_entry_get_data_size(e, &n, &err) != 1) {
		v->data_err = pff_reason(&err);
		return;
	}
	if (n > RD_MAX_VALUE) {
		xasprintf(&v->data_err, "property value of %zu bytes", n);
		return;
	}
	v->own = xmalloc(n + 1);
	if (n > 0 && libpff_record_entry_get_data(e, v->own, n, &err) != 1) {
		free(v->own);
		v->own = NULL;
		v->data_err = pff_reason(&err);
		return;
	}
	v->data = v->own;
	v->len = n;
}

/* The slot of a named property, or -1. */
static int
pff_named(libpff_name_to_id_map_entry_t *nm)
{
	libpff_error_t *err = NULL;
	uint8_t guid[16], type = 0;
	uint32_t lid = 0;
	char name[16];
	size_t sz = 0;
	int numeric;

	if (libpff_name_to_id_map_entry_get_type(nm, &type, &err) != 1 ||
	    libpff_name_to_id_map_entry_get_guid(nm, guid, sizeof guid,
	    &err) != 1)
		goto none;
	numeric = type == LIBPFF_NAME_TO_ID_MAP_ENTRY_TYPE_NUMERIC;
	name[0] = '\0';
	if (numeric) {
		if (libpff_name_to_id_map_entry_get_number(nm, &lid, &err) != 1)
			goto none;
	} else if (libpff_name_to_id_map_entry_get_utf8_string_size(nm, &sz,
	    &err) != 1 || sz > sizeof name ||
	    libpff_name_to_id_map_entry_get_utf8_string(nm, (uint8_t *)name,
	    sizeof name, &err) != 1)
		goto none;	/* longer than any name we want */
	name[sizeof name - 1] = '\0';
	return rd_named_slot(guid, numeric, lid, name);

none:
	libpff_error_free(&err);
	return -1;
}

/* One pass over a record set: each wanted property by its own tag, or
 * by (property set GUID, LID or name) for named ones, never by LID
 * alone. The first entry that matches a slot wins. */
static int
pff_collect(libpff_record_set_t *rs, struct rd_props *p, char **cause)
{
	libpff_error_t *err = NULL;
	libpff_record_entry_t *e;
	libpff_name_to_id_map_entry_t *nm;
	uint32_t tag;
	int i, j, n = 0, r;

	if (libpff_record_set_get_number_of_entries(rs, &n, &err) != 1) {
		*cause = pff_reason(&err);
		return -1;
	}
	for (i = 0; i < n; i++) {
		e = NULL;
		if (libpff_record_set_get_entry_by_index(rs, i, &e, &err) !=
		    1) {
			*cause = pff_reason(&err);
			return -1;
		}
		tag = 0;
		nm = NULL;
		if ((r = libpff_record_entry_get_entry_type(e, &tag,
		    &err)) == 1)
			r = libpff_record_entry_get_name_to_id_map_entry(e,
			    &nm, &err) == -1 ? -1 : 1;
		if (r == -1) {
			libpff_record_entry_free(&e, NULL);
			*cause = pff_reason(&err);
			return -1;
		}
		if (r == 0)
			j = -1;
		else if (nm != NULL)
			j = pff_named(nm);
		else
			j = rd_slot_of(tag);
		if (j != -1 && !p->v[j].set)
			pff_value(e, &p->v[j]);
		libpff_record_entry_free(&e, NULL);
	}
	return 0;
}

static int
pff_open(struct rd *rd, const char *path, char **cause)
{
	libpff_error_t *err = NULL;
	libpff_file_t *file = NULL;
	struct stat sb;
	uint8_t ftype = 0;
	int r;

	if ((r = libpff_check_file_signature(path, &err)) != 1) {
		if (r == 0 || stat(path, &sb) == -1 || sb.st_size < 512)
			*cause = xstrdup("not a PST or OST file");
		else {
			*cause = pff_reason(&err);
		}
		libpff_error_free(&err);
		return READER_DATAERR;
	}
	if (libpff_file_initialize(&file, &err) != 1 ||
	    libpff_file_set_ascii_codepage(file, rd->codepage, &err) != 1 ||
	    libpff_file_open(file, path, LIBPFF_OPEN_READ, &err) != 1) {
		*cause = pff_reason(&err);
		if (file != NULL) {
			libpff_file_close(file, NULL);
			libpff_file_free(&file, NULL);
		}
		return READER_DATAERR;
	}
	if (libpff_file_get_type(file, &ftype, &err) == 1)
		rd->res->file_type = ftype;
	libpff_error_free(&err);
	rd->be_state = file;
	return 0;
}

static void
pff_close(struct rd *rd)
{
	libpff_file_t *file = rd->be_state;

	if (file != NULL) {
		libpff_file_close(file, NULL);
		libpff_file_free(&file, NULL);
	}
	rd->be_state = NULL;
}

static int
pff_root(struct rd *rd, void **h, char **cause)
{
	libpff_error_t *err = NULL;
	libpff_item_t *root = NULL;
	int r;

	*h = NULL;
	if ((r = libpff_file_get_root_folder(rd->be_state, &root,
	    &err)) != 1) {
		if (r == -1)
			*cause = pff_reason(&err);
		libpff_error_free(&err);
		return r;
	}
	*h = pff_handle(root);
	return 1;
}

static int
pff_store(struct rd *rd, void **h, char **cause)
{
	libpff_error_t *err = NULL;
	libpff_item_t *store = NULL;

	(void)cause;
	*h = NULL;
	if (libpff_file_get_message_store(rd->be_state, &store, &err) != 1) {
		libpff_error_free(&err);
		return 0;
	}
	*h = pff_handle(store);
	return 1;
}

static char *
pff_folder_name(struct rd *rd, void *h)
{
	libpff_item_t *folder = ((struct pffh *)h)->item;
	libpff_error_t *err = NULL;
	char *name = NULL;
	size_t sz = 0;

	(void)rd;
	if (libpff_folder_get_utf8_name_size(folder, &sz, &err) == 1 &&
	    sz > 1 && sz < 65536) {
		name = xmalloc(sz);
		if (libpff_folder_get_utf8_name(folder, (uint8_t *)name, sz,
		    &err) != 1) {
			free(name);
			name = NULL;
		} else {
			name[sz - 1] = '\0';
			name = text_clean(name);
		}
	}
	libpff_error_free(&err);
	return name;
}

static int
pff_props(struct rd *rd, void *h, struct rd_props *p, char **cause)
{
	libpff_error_t *err = NULL;
	libpff_record_set_t *rs = NULL;
	int r;

	(void)rd;
	if (libpff_item_get_record_set_by_index(((struct pffh *)h)->item, 0,
	    &rs, &err) != 1) {
		*cause = pff_reason(&err);
		return -1;
	}
	r = pff_collect(rs, p, cause);
	libpff_record_set_free(&rs, NULL);
	return r;
}

static uint64_t
pff_item_id(struct rd *rd, void *h)
{
	uint32_t id = 0;

	(void)rd;
	libpff_item_get_identifier(((struct pffh *)h)->item, &id, NULL);
	return id;
}

/* Children come from libpff's item tree by index
 * (libpff_item_get_sub_item): the per-folder contents table path
 * (get_sub_message) searches the tree by identifier on every call and
 * reads the table as well. */
static int
pff_nchildren(struct rd *rd, void *h, int *n, char **cause)
{
	libpff_error_t *err = NULL;

	(void)rd;
	*n = 0;
	if (libpff_item_get_number_of_sub_items(((struct pffh *)h)->item, n,
	    &err) != 1) {
		*cause = pff_reason(&err);
		*n = 0;
		return -1;
	}
	return 0;
}

static int
pff_child(struct rd *rd, void *h, int i, void **child, uint32_t *id,
    char **cause)
{
	libpff_error_t *err = NULL;
	libpff_item_t *c = NULL;

	(void)rd;
	*child = NULL;
	if (libpff_item_get_sub_item(((struct pffh *)h)->item, i, &c,
	    &err) != 1 || libpff_item_get_identifier(c, id, &err) != 1) {
		*cause = pff_reason(&err);
		libpff_item_free(&c, NULL);
		return -1;
	}
	*child = pff_handle(c);
	return 0;
}

/* The recipient table: one record set per row. */
static int
pff_nrecipients(struct rd *rd, void *hv, int *n, char **cause)
{
	struct pffh *h = hv;
	libpff_error_t *err = NULL;
	int ret;

	(void)rd;
	*n = 0;
	if (h->rcpts == NULL && (ret = libpff_message_get_recipients(h->item,
	    &h->rcpts, &err)) != 1) {
		if (ret == 0)
			return 0;
		*cause = pff_reason(&err);
		return -1;
	}
	if (libpff_item_get_number_of_record_sets(h->rcpts, n, &err) != 1) {
		*cause = pff_reason(&err);
		*n = 0;
		return -1;
	}
	return 0;
}

static int
pff_recipient(struct rd *rd, void *hv, int i, struct rd_props *p,
    char **cause)
{
	struct pffh *h = hv;
	libpff_error_t *err = NULL;
	libpff_record_set_t *rs = NULL;
	int r;

	(void)rd;
	if (libpff_item_get_record_set_by_index(h->rcpts, i, &rs, &err) !=
	    1) {
		*cause = pff_reason(&err);
		return -1;
	}
	r = pff_collect(rs, p, cause);
	libpff_record_set_free(&rs, NULL);
	return r;
}

static int
pff_nattach(struct rd *rd, void *h, int *n, char **cause)
{
	libpff_error_t *err = NULL;

	(void)rd;
	*n = 0;
	if (libpff_message_get_number_of_attachments(((struct pffh *)h)->item,
	    n, &err) != 1) {
		*cause = pff_reason(&err);
		return -1;
	}
	return 0;
}

static int
pff_attach(struct rd *rd, void *h, int i, void **attp,
    enum rd_att_type *type, struct rd_props *p, char **cause)
{
	libpff_error_t *err = NULL;
	libpff_item_t *att = NULL;
	libpff_record_set_t *rs = NULL;
	int t = 0, r;

	(void)rd;
	*attp = NULL;
	if (libpff_message_get_attachment(((struct pffh *)h)->item, i, &att,
	    &err) != 1 || libpff_attachment_get_type(att, &t, &err) != 1 ||
	    libpff_item_get_record_set_by_index(att, 0, &rs, &err) != 1) {
		*cause = pff_reason(&err);
		libpff_item_free(&att, NULL);
		return -1;
	}
	r = pff_collect(rs, p, cause);
	libpff_record_set_free(&rs, NULL);
	if (r != 0) {
		libpff_item_free(&att, NULL);
		return -1;
	}
	switch (t) {
	case LIBPFF_ATTACHMENT_TYPE_DATA:
		*type = RD_ATT_DATA;
		break;
	case LIBPFF_ATTACHMENT_TYPE_ITEM:
		*type = RD_ATT_ITEM;
		break;
	case LIBPFF_ATTACHMENT_TYPE_REFERENCE:
		*type = RD_ATT_REF;
		break;
	default:
		*type = RD_ATT_OTHER;
		break;
	}
	*attp = pff_handle(att);
	return 0;
}

static int
pff_attach_item(struct rd *rd, void *h, void **embp, char **cause)
{
	libpff_error_t *err = NULL;
	libpff_item_t *emb = NULL;

	(void)rd;
	*embp = NULL;
	if (libpff_attachment_get_item(((struct pffh *)h)->item, &emb,
	    &err) != 1) {
		*cause = err != NULL ? pff_reason(&err) :
		    xstrdup("no embedded message");
		return -1;
	}
	*embp = pff_handle(emb);
	return 0;
}

static int
pff_data_size(struct rd *rd, void *h, uint64_t *size, char **cause)
{
	libpff_error_t *err = NULL;
	size64_t n = 0;
	int r;

	(void)rd;
	if ((r = libpff_attachment_get_data_size(((struct pffh *)h)->item, &n,
	    &err)) != 1) {
		if (r == 0)
			return 0;
		*cause = pff_reason(&err);
		return -1;
	}
	*size = n;
	return 1;
}

static int
pff_data_rewind(struct rd *rd, void *h, char **cause)
{
	libpff_error_t *err = NULL;

	(void)rd;
	if (libpff_attachment_data_seek_offset(((struct pffh *)h)->item, 0,
	    SEEK_SET, &err) == -1) {
		*cause = pff_reason(&err);
		return -1;
	}
	return 0;
}

static ssize_t
pff_data_read(struct rd *rd, void *h, uint8_t *buf, size_t len,
    char **cause)
{
	libpff_error_t *err = NULL;
	ssize_t got;

	(void)rd;
	got = libpff_attachment_data_read_buffer(((struct pffh *)h)->item, buf,
	    len, &err);
	if (got < 0)
		*cause = pff_reason(&err);
	return got;
}

static void
pff_release(struct rd *rd, void *hv)
{
	struct pffh *h = hv;

	(void)rd;
	if (h == NULL)
		return;
	libpff_item_free(&h->rcpts, NULL);
	libpff_item_free(&h->item, NULL);
	free(h);
}
