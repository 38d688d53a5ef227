/* pstread_util.c: helpers shared by the pstread test programs
 * (test_pstread*.c), moved out of test_pstread.c. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <libpff.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "le.h"
#include "testutil.h"
#include "pstread_util.h"
#include "pst/crc.h"
#include "pst/crypt.h"
#include "pst/mapi.h"
#include "pst/pst.h"
#include "pst/pstint.h"
#include "pst/walk.h"

void
mismatch(struct cmp *c, const char *fmt, ...)
{
	va_list	ap;

	if (c->mismatches++ == 0) {
		va_start(ap, fmt);
		vsnprintf(c->first, sizeof c->first, fmt, ap);
		va_end(ap);
	}
}

int
ours_get(struct ours *o, uint16_t id, struct pst_prop *v, char **cause)
{
	if (o->pc != NULL)
		return pst_pc_get(o->pc, id, v, cause);
	return pst_tc_get(o->tc, o->row, id, v, cause);
}

int
is_fixed(uint32_t type)
{
	switch (type) {
	case MAPI_PT_SHORT: case MAPI_PT_LONG: case MAPI_PT_FLOAT:
	case MAPI_PT_ERROR: case MAPI_PT_BOOLEAN: case MAPI_PT_DOUBLE:
	case MAPI_PT_CURRENCY: case MAPI_PT_APPTIME: case MAPI_PT_LONGLONG:
	case MAPI_PT_SYSTIME:
		return 1;
	}
	return 0;
}

int
lpff_empty(const uint8_t *p, size_t n)
{
	while (n > 0 && p[n - 1] == 0)
		n--;
	return n == 0;
}

/* libpff's named-property mapping of entry e agrees with our name map. */
void
check_named(struct pst *f, libpff_record_entry_t *e, uint32_t id,
    struct cmp *c)
{
	libpff_name_to_id_map_entry_t	*nm = NULL;
	libpff_error_t			*err = NULL;
	uint8_t				 guid[16], type = 0, zero[16] = { 0 };
	uint32_t			 lid;
	uint16_t			 ours = 0;
	char				*cause = NULL;

	if (libpff_record_entry_get_name_to_id_map_entry(e, &nm, &err) != 1) {
		libpff_error_free(&err);
		return;
	}
	if (libpff_name_to_id_map_entry_get_type(nm, &type, &err) != 1 ||
	    libpff_name_to_id_map_entry_get_guid(nm, guid, 16, &err) != 1 ||
	    type != LIBPFF_NAME_TO_ID_MAP_ENTRY_TYPE_NUMERIC ||
	    libpff_name_to_id_map_entry_get_number(nm, &lid, &err) != 1 ||
	    memcmp(guid, zero, 16) == 0) {
		/* libpff gives PS_PUBLIC_STRINGS LIDs a zero GUID. */
		libpff_error_free(&err);
		return;
	}
	if (pst_named_lid(f, guid, lid, &ours, &cause) != 0) {
		mismatch(c, "name map: %s", cause);
		free(cause);
		return;
	}
	c->named++;
	/* Several ids may share a name in damaged maps: ours is the first. */
	if (ours == 0 || (ours != id && ours > id))
		mismatch(c, "named LID 0x%04x: libpff id 0x%04x, ours 0x%04x",
		    lid, id, ours);
}

/* Every value libpff has in rs, ours has with the same type and bytes. */
void
cmp_set(struct pst *f, libpff_record_set_t *rs, struct ours *o,
    const char *what, struct cmp *c)
{
	libpff_record_entry_t	*e = NULL;
	libpff_error_t		*err = NULL;
	struct pst_prop		 v;
	uint32_t		 type, vtype;
	uint8_t			*data;
	size_t			 size, i, k;
	int			 n = 0, r;
	char			*cause = NULL;

	if (libpff_record_set_get_number_of_entries(rs, &n, &err) != 1) {
		libpff_error_free(&err);
		c->lpff_failed++;
		return;
	}
	for (i = 0; i < (size_t)n; i++) {
		if (libpff_record_set_get_entry_by_index(rs, (int)i, &e,
		    &err) != 1 ||
		    libpff_record_entry_get_entry_type(e, &type, &err) != 1 ||
		    libpff_record_entry_get_value_type(e, &vtype, &err) != 1 ||
		    libpff_record_entry_get_data_size(e, &size, &err) != 1) {
			libpff_error_free(&err);
			libpff_record_entry_free(&e, NULL);
			c->lpff_failed++;
			continue;
		}
		data = malloc(size + 1);
		if (size > 0 && libpff_record_entry_get_data(e, data, size,
		    &err) != 1) {
			libpff_error_free(&err);
			size = 0;
		}
		if (type >= PST_NAMED_FIRST)
			check_named(f, e, type, c);
		libpff_record_entry_free(&e, NULL);
		r = ours_get(o, (uint16_t)type, &v, &cause);
		c->entries++;
		if (r == 0 && o->tc != NULL && lpff_empty(data, size)) {
			/* libpff ignores the cell-existence bitmap: a cell
			 * whose bit is clear comes out as zeros. */
			c->entries--;
		} else if (r != 1) {
			mismatch(c, "%s: property 0x%04x: %s (libpff: %zu "
			    "bytes)", what, type,
			    r < 0 ? cause : "absent in ours", size);
			free(cause);
			cause = NULL;
		} else if (v.type != vtype)
			mismatch(c, "%s: property 0x%04x: type 0x%04x, libpff "
			    "0x%04x", what, type, v.type, vtype);
		else if (is_fixed(vtype)) {
			/* libpff widens inline values to 4 bytes. */
			for (k = 0; k < size; k++)
				if ((k < v.len ? v.p[k] : 0) != data[k])
					break;
			if (k < size || v.len > size)
				mismatch(c,
				    "%s: property 0x%04x: value differs",
				    what, type);
		} else if (v.len != size || (size > 0 &&
		    memcmp(v.p, data, size) != 0))
			mismatch(c, "%s: property 0x%04x (type 0x%04x): %zu "
			    "bytes, libpff %zu", what, type, vtype, v.len,
			    size);
		free(data);
	}
}

void
cmp_attachments(struct pst *f, libpff_item_t *msg, struct pst_pc *pc,
    const char *what, struct cmp *c, int depth)
{
	libpff_item_t		*att = NULL, *emb = NULL;
	libpff_record_set_t	*rs = NULL;
	libpff_error_t		*err = NULL;
	struct pst_tc		*tc = NULL;
	struct pst_pc		*ap, *em;
	struct pst_prop		 v;
	struct ours		 o = { 0 };
	int			 n = 0, i, type = 0;
	uint32_t		 id, nid;
	char			*cause = NULL;

	if (libpff_message_get_number_of_attachments(msg, &n, &err) != 1) {
		libpff_error_free(&err);
		c->lpff_failed++;
		return;
	}
	/* No attachment table must mean no attachments for libpff too. */
	if (!pst_pc_has_sub(pc, PST_NID_ATTACHMENT_TABLE)) {
		if (n != 0)
			mismatch(c, "%s: %d attachments, ours: no table", what,
			    n);
		return;
	}
	if (n == 0)
		return;
	if (pst_tc_open_sub(pc, PST_NID_ATTACHMENT_TABLE, &tc, &cause) != 0) {
		mismatch(c, "%s: %d attachments, ours: %s", what, n, cause);
		free(cause);
		return;
	}
	if (pst_tc_rows(tc) != (size_t)n)
		mismatch(c, "%s: %d attachments, ours %zu", what, n,
		    pst_tc_rows(tc));
	for (i = 0; i < n && (size_t)i < pst_tc_rows(tc); i++) {
		if (libpff_message_get_attachment(msg, i, &att, &err) != 1 ||
		    libpff_item_get_record_set_by_index(att, 0, &rs, &err) !=
		    1) {
			libpff_error_free(&err);
			libpff_item_free(&att, NULL);
			c->lpff_failed++;
			continue;
		}
		if (pst_tc_row_id(tc, (size_t)i, &id, &cause) != 0 ||
		    pst_pc_open_sub(pc, id, &ap, &cause) != 0) {
			mismatch(c, "%s: attachment %d: %s", what, i, cause);
			free(cause);
			cause = NULL;
		} else {
			c->attachments++;
			o.pc = ap;
			cmp_set(f, rs, &o, what, c);
			if (depth < 4 && libpff_attachment_get_type(att, &type,
			    &err) == 1 && type == LIBPFF_ATTACHMENT_TYPE_ITEM &&
			    libpff_attachment_get_item(att, &emb, &err) == 1) {
				if (pst_pc_get(ap, MAPI_ID_ATTACH_DATA, &v,
				    &cause) != 1 || pst_prop_object(&v,
				    &nid) != 0 ||
				    pst_pc_open_sub(ap, nid, &em, &cause) !=
				    0) {
					mismatch(c, "%s: embedded message: %s",
					    what, cause ? cause : "no object");
					free(cause);
					cause = NULL;
				} else {
					c->embedded++;
					cmp_message(f, emb, em, what, c,
					    depth + 1);
					pst_pc_free(em);
				}
				libpff_item_free(&emb, NULL);
			}
			libpff_error_free(&err);
			pst_pc_free(ap);
		}
		libpff_record_set_free(&rs, NULL);
		libpff_item_free(&att, NULL);
	}
	pst_tc_free(tc);
}

void
cmp_message(struct pst *f, libpff_item_t *msg, struct pst_pc *pc,
    const char *what, struct cmp *c, int depth)
{
	libpff_record_set_t	*rs = NULL;
	libpff_item_t		*rcpts = NULL;
	libpff_error_t		*err = NULL;
	struct pst_tc		*tc = NULL;
	struct pst_prop		 v;
	struct ours		 o = { 0 };
	char			*cls = NULL, *cause = NULL;
	int			 n = 0, i;

	if (libpff_item_get_record_set_by_index(msg, 0, &rs, &err) != 1) {
		libpff_error_free(&err);
		c->lpff_failed++;
		return;
	}
	c->messages++;
	o.pc = pc;
	cmp_set(f, rs, &o, what, c);
	libpff_record_set_free(&rs, NULL);
	if (pst_pc_get(pc, MAPI_ID_MESSAGE_CLASS, &v, NULL) == 1 &&
	    pst_prop_utf8(&v, &cls) == 0 &&
	    strncmp(cls, MAPI_CLASS_APPOINTMENT,
	    strlen(MAPI_CLASS_APPOINTMENT)) == 0)
		c->appointments++;
	free(cls);
	if (libpff_message_get_recipients(msg, &rcpts, &err) == 1) {
		if (libpff_item_get_number_of_record_sets(rcpts, &n, &err) !=
		    1)
			n = 0;
		if (n > 0 && pst_tc_open_sub(pc, PST_NID_RECIPIENT_TABLE, &tc,
		    &cause) != 0) {
			mismatch(c, "%s: recipients: %s", what, cause);
			free(cause);
			n = 0;
		} else if (n > 0 && pst_tc_rows(tc) != (size_t)n)
			mismatch(c, "%s: %d recipients, ours %zu", what, n,
			    pst_tc_rows(tc));
		for (i = 0; i < n && (size_t)i < pst_tc_rows(tc); i++) {
			if (libpff_item_get_record_set_by_index(rcpts, i, &rs,
			    &err) != 1) {
				c->lpff_failed++;
				continue;
			}
			o.pc = NULL;
			o.tc = tc;
			o.row = (size_t)i;
			cmp_set(f, rs, &o, what, c);
			c->rows++;
			libpff_record_set_free(&rs, NULL);
		}
		pst_tc_free(tc);
		libpff_item_free(&rcpts, NULL);
	}
	libpff_error_free(&err);
	cmp_attachments(f, msg, pc, what, c, depth);
}

void
cmp_folder(struct pst *f, libpff_item_t *fo, struct cmp *c, int depth)
{
	libpff_item_t		*sub = NULL;
	libpff_error_t		*err = NULL;
	struct pst_folder	*all;
	struct pst_msglist	 ml;
	struct pst_pc		*pc;
	uint32_t		 id = 0, mid = 0;
	uint8_t			 name[1024];
	size_t			 nall, i;
	int			 n = 0, k;
	char			 what[128], *cause = NULL;

	if (libpff_item_get_identifier(fo, &id, &err) != 1 ||
	    libpff_folder_get_utf8_name(fo, name, sizeof name, &err) != 1) {
		libpff_error_free(&err);
		name[0] = '\0';
	}
	c->folders++;
	pst_folders(f, &all, &nall, NULL);
	for (i = 0; i < nall && all[i].nid != id; i++)
		continue;
	if (i == nall)
		mismatch(c, "folder 0x%x missing in ours", id);
	else if (id != PST_NID_ROOT_FOLDER &&
	    strcmp(all[i].name, (char *)name) != 0)
		mismatch(c, "folder 0x%x: name '%s', libpff '%s'", id,
		    all[i].name, name);
	pst_folders_free(all, nall);
	if (libpff_folder_get_number_of_sub_messages(fo, &n, &err) == 1) {
		if (pst_folder_messages(f, id, &ml, &cause) != 0) {
			mismatch(c, "folder 0x%x: %s", id, cause);
			free(cause);
			cause = NULL;
			memset(&ml, 0, sizeof ml);
		}
		if (ml.n != (size_t)n)
			mismatch(c, "folder 0x%x '%s': %zu messages, libpff %d",
			    id, name, ml.n, n);
		for (k = 0; k < n; k++) {
			if (libpff_folder_get_sub_message(fo, k, &sub, &err) !=
			    1 || libpff_item_get_identifier(sub, &mid, &err) !=
			    1) {
				libpff_error_free(&err);
				libpff_item_free(&sub, NULL);
				c->lpff_failed++;
				continue;
			}
			snprintf(what, sizeof what, "message 0x%x", mid);
			/* The same set; the order may differ (libpff
			 * follows the node tree, we the contents table). */
			for (i = 0; i < ml.n && ml.nid[i] != mid; i++)
				continue;
			if (i == ml.n)
				mismatch(c, "folder 0x%x: message 0x%x missing "
				    "in ours", id, mid);
			if (pst_pc_open(f, mid, &pc, &cause) != 0) {
				mismatch(c, "%s: %s", what, cause);
				free(cause);
				cause = NULL;
			} else {
				cmp_message(f, sub, pc, what, c, 0);
				pst_pc_free(pc);
			}
			libpff_item_free(&sub, NULL);
		}
		pst_msglist_free(&ml);
	}
	libpff_error_free(&err);
	if (depth > 32 ||
	    libpff_folder_get_number_of_sub_folders(fo, &n, &err) != 1) {
		libpff_error_free(&err);
		return;
	}
	for (k = 0; k < n; k++) {
		if (libpff_folder_get_sub_folder(fo, k, &sub, &err) != 1) {
			libpff_error_free(&err);
			c->lpff_failed++;
			continue;
		}
		cmp_folder(f, sub, c, depth + 1);
		libpff_item_free(&sub, NULL);
	}
}

/* Compare the whole file with libpff; 0 if libpff cannot open it. */
int
cmp_file(const char *path, struct cmp *c)
{
	libpff_file_t	*lf = NULL;
	libpff_item_t	*root = NULL;
	libpff_error_t	*err = NULL;
	struct pst	*f;
	char		*cause = NULL;

	memset(c, 0, sizeof *c);
	cr_assert_eq(pst_open(path, 0, &f, &cause), 0, "%s: %s", path,
	    cause);
	if (libpff_file_initialize(&lf, &err) != 1 ||
	    libpff_file_open(lf, path, LIBPFF_OPEN_READ, &err) != 1 ||
	    libpff_file_get_root_folder(lf, &root, &err) != 1) {
		libpff_error_free(&err);
		libpff_file_free(&lf, NULL);
		pst_close(f);
		return 0;
	}
	cmp_folder(f, root, c, 0);
	libpff_item_free(&root, NULL);
	libpff_file_close(lf, NULL);
	libpff_file_free(&lf, NULL);
	pst_close(f);
	return 1;
}

/* Fixtures: mkpst output compared with libpff, and exact values. */
char *
fixture(const char *name, char **dir)
{
	char	*pst;

	*dir = tu_tmpdir();
	pst = tu_path(*dir, "in.pst");
	tu_mkpst(name, pst);
	return pst;
}

/* The corpus: every PST/OST opens, every folder and message reads, and
 * agrees with libpff wherever libpff reads it. */
const char *
corpus_dir(void)
{
	const char	*d = tu_env("PSTDEDUP_CORPUS");
	DIR		*dp;

	if (d == NULL || (dp = opendir(d)) == NULL)
		return NULL;
	closedir(dp);
	return d;
}
