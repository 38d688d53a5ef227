/* test_pstread.c: our PST reader (src/pst/) against libpff, on fixtures
 * mkpst builds and on every corpus file; damaged files give clean errors
 * or reported skips (run under ASan to catch over-reads). */
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
#include "pst/crc.h"
#include "pst/crypt.h"
#include "pst/mapi.h"
#include "pst/pst.h"
#include "pst/pstint.h"
#include "pst/walk.h"

/* What a comparison saw. */
struct cmp {
	size_t	 folders;
	size_t	 messages;
	size_t	 appointments;	/* IPM.Appointment* items compared */
	size_t	 entries;	/* property values compared */
	size_t	 named;		/* named-property ids checked */
	size_t	 rows;		/* recipient rows compared */
	size_t	 attachments;
	size_t	 embedded;
	size_t	 lpff_failed;	/* items libpff could not read: skipped */
	size_t	 mismatches;
	char	 first[512];
};

/* Our side of one record set: a PC, or one row of a TC. */
struct ours {
	struct pst_pc	*pc;
	struct pst_tc	*tc;
	size_t		 row;
};

static void	mismatch(struct cmp *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
mismatch(struct cmp *c, const char *fmt, ...)
{
	va_list	ap;

	if (c->mismatches++ == 0) {
		va_start(ap, fmt);
		vsnprintf(c->first, sizeof c->first, fmt, ap);
		va_end(ap);
	}
}

static int
ours_get(struct ours *o, uint16_t id, struct pst_prop *v, char **cause)
{
	if (o->pc != NULL)
		return pst_pc_get(o->pc, id, v, cause);
	return pst_tc_get(o->tc, o->row, id, v, cause);
}

static int
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

static int
lpff_empty(const uint8_t *p, size_t n)
{
	while (n > 0 && p[n - 1] == 0)
		n--;
	return n == 0;
}

/* libpff's named-property mapping of entry e agrees with our name map. */
static void
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
static void
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

static void cmp_message(struct pst *, libpff_item_t *, struct pst_pc *,
    const char *, struct cmp *, int);

static void
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

static void
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

static void
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
static int
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
static char *
fixture(const char *name, char **dir)
{
	char	*pst;

	*dir = tu_tmpdir();
	pst = tu_path(*dir, "in.pst");
	tu_mkpst(name, pst);
	return pst;
}

Test(pstread, fixtures_match_libpff)
{
	static const char *names[] = { "singles.ics", "exceptions.ics",
	    "attachments.ics", "folders.ics", "meetings.ics",
	    "recurring.ics", "traps.ics", "duplicates.ics" };
	struct cmp	 c;
	char		*dir, *pst;
	size_t		 i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		pst = fixture(names[i], &dir);
		cr_assert_eq(cmp_file(pst, &c), 1, "libpff cannot open %s",
		    names[i]);
		cr_assert_eq(c.mismatches, 0, "%s: %zu mismatches, first: %s",
		    names[i], c.mismatches, c.first);
		cr_assert_gt(c.appointments, 0, "%s", names[i]);
		cr_assert_gt(c.entries, 20 * c.messages, "%s", names[i]);
		cr_assert_gt(c.named, 0, "%s", names[i]);
		cr_assert_eq(c.lpff_failed, 0, "%s", names[i]);
		if (strcmp(names[i], "exceptions.ics") == 0)
			cr_assert_gt(c.embedded, 0);
		if (strcmp(names[i], "meetings.ics") == 0)
			cr_assert_gt(c.rows, 0);
		tu_rmdir(dir);
		free(dir);
		free(pst);
	}
}

/* FILETIME of a UTC civil time (days from 1601 by the usual formula). */
static uint64_t
filetime(int y, int mo, int d, int h, int mi)
{
	int64_t	yy = y - (mo <= 2), era, doe, yoe, days;

	era = (yy >= 0 ? yy : yy - 399) / 400;
	yoe = yy - era * 400;
	doe = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doe;
	days = era * 146097 + doe - 719468;	/* since 1970-01-01 */
	return (uint64_t)((days * 86400 + h * 3600 + mi * 60) +
	    11644473600LL) * 10000000ULL;
}

Test(pstread, fixture_values)
{
	struct pst		*f;
	struct pst_folder	*fo;
	struct pst_msglist	 ml;
	struct pst_pc		*pc;
	struct pst_prop		 v;
	size_t			 nf, i, j, ncal = 0;
	uint16_t		 sw, ew;
	char			*dir, *pst, *s, *cause = NULL;
	int			 seen = 0;

	pst = fixture("singles.ics", &dir);
	cr_assert_eq(pst_open(pst, 0, &f, &cause), 0, "%s", cause);
	cr_assert_eq(pst_file_layout(f)->kind, PST_UNICODE);
	cr_assert_eq(pst_named_lid(f, mapi_psetid_appointment,
	    MAPI_LID_APPT_START_WHOLE, &sw, &cause), 0);
	cr_assert_eq(pst_named_lid(f, mapi_psetid_appointment,
	    MAPI_LID_APPT_END_WHOLE, &ew, &cause), 0);
	cr_assert_geq(sw, PST_NAMED_FIRST);
	cr_assert_geq(ew, PST_NAMED_FIRST);
	cr_assert_eq(pst_folders(f, &fo, &nf, &cause), 0);
	for (i = 0; i < nf; i++) {
		cr_assert(fo[i].ok, "folder 0x%x: %s", fo[i].nid, fo[i].err);
		if (fo[i].container_class == NULL ||
		    strcmp(fo[i].container_class, MAPI_FOLDER_CALENDAR) != 0)
			continue;
		ncal++;
		cr_assert_eq(pst_folder_messages(f, fo[i].nid, &ml, &cause),
		    0);
		cr_assert_eq(ml.n, 4);
		cr_assert_eq(fo[i].content_count, 4);
		cr_assert_eq(ml.extra, 0);
		cr_assert_eq(ml.missing, 0);
		for (j = 0; j < ml.n; j++) {
			cr_assert_eq(pst_pc_open(f, ml.nid[j], &pc, &cause), 0);
			cr_assert_eq(pst_pc_get(pc, MAPI_ID_SUBJECT, &v,
			    &cause), 1);
			pst_prop_utf8(&v, &s);
			if (strstr(s, "Dentist") != NULL) {
				seen = 1;
				cr_assert_eq(pst_pc_get(pc, sw, &v, &cause), 1);
				cr_assert_eq(v.type, MAPI_PT_SYSTIME);
				cr_assert_eq(le_get64(v.p),
				    filetime(2024, 3, 12, 8, 30));
				cr_assert_eq(pst_pc_get(pc, ew, &v, &cause), 1);
				cr_assert_eq(le_get64(v.p),
				    filetime(2024, 3, 12, 9, 15));
				cr_assert_eq(pst_pc_get(pc,
				    MAPI_ID_MESSAGE_CLASS, &v, &cause), 1);
				free(s);
				pst_prop_utf8(&v, &s);
				cr_assert_str_eq(s, MAPI_CLASS_APPOINTMENT);
			}
			free(s);
			pst_pc_free(pc);
		}
		pst_msglist_free(&ml);
	}
	cr_assert_eq(ncal, 1);
	cr_assert(seen);
	pst_folders_free(fo, nf);
	pst_close(f);
	tu_rmdir(dir);
	free(dir);
	free(pst);
}

/* A synthetic file large enough for multi-level B-trees, XBLOCKs in
 * bodies, attachments and the contents table: read both ways alike. */
Test(pstread, big_synthetic_and_pread)
{
	const char	*mkpst = tu_env("MKPST");
	struct tu_run	 r;
	struct pst	*f, *g;
	struct pst_walk	 a, b;
	char		*dir, *pst, *cause = NULL;
	struct cmp	 c;

	if (mkpst == NULL)
		cr_skip_test("MKPST not set");
	dir = tu_tmpdir();
	pst = tu_path(dir, "big.pst");
	tu_run(&r, NULL, (char *const[]){ (char *)mkpst, (char *)"--synth",
	    (char *)"1500", (char *)"--body-bytes", (char *)"20000",
	    (char *)"--attach-bytes", (char *)"30000", (char *)"--mails",
	    (char *)"300", (char *)"-o", pst, NULL });
	cr_assert_eq(r.status, 0, "mkpst: %s", r.err);
	tu_run_free(&r);
	cr_assert_eq(pst_open(pst, 0, &f, &cause), 0, "%s", cause);
	cr_assert_eq(pst_open(pst, PST_OPEN_PREAD, &g, &cause), 0, "%s",
	    cause);
	pst_walk(f, &a);
	pst_walk(g, &b);
	cr_assert_eq(a.errors, 0, "%s", a.first_error);
	cr_assert_geq(a.messages, 1800);
	cr_assert_gt(a.attachments, 0);
	cr_assert_eq(a.messages, b.messages);
	cr_assert_eq(a.props, b.props);
	cr_assert_eq(a.recipients, b.recipients);
	cr_assert_eq(b.errors, 0);
	pst_close(f);
	pst_close(g);
	cr_assert_eq(cmp_file(pst, &c), 1);
	cr_assert_eq(c.mismatches, 0, "%zu mismatches, first: %s",
	    c.mismatches, c.first);
	tu_rmdir(dir);
	free(dir);
	free(pst);
}

/* Encode a plain file's external blocks in place, as Outlook would with
 * bCryptMethod method: the block CRCs cover the stored bytes. */
static void
encode_file(uint8_t *buf, size_t len, int method)
{
	struct pst		*f;
	struct pst_header	 h;
	struct pst_btrailer	 t;
	uint8_t			 hdr[PST_HEADER_MAX], *p, *tp;
	size_t			 i, hlen;
	char			*cause = NULL;

	cr_assert_eq(pst_open_mem(buf, len, &f, &cause), 0, "%s", cause);
	cr_assert_eq(f->hdr.crypt, PST_CRYPT_NONE);
	for (i = 0; i < f->nblocks; i++) {
		if (f->blocks[i].bid & PST_BID_INTERNAL)
			continue;
		p = buf + f->blocks[i].ib;
		if (method == PST_CRYPT_PERMUTE)
			pst_permute_encode(p, f->blocks[i].cb);
		else
			pst_cyclic(p, f->blocks[i].cb,
			    (uint32_t)f->blocks[i].bid);
		tp = p + pst_block_size(f->l, f->blocks[i].cb) -
		    f->l->block_trailer;
		pst_btrailer_get(f->l, tp, &t);
		t.crc = pst_crc32(0, p, f->blocks[i].cb);
		pst_btrailer_put(f->l, tp, &t);
	}
	pst_close(f);
	cr_assert_eq(pst_header_get(buf, len, &h), 0);
	h.crypt = (uint8_t)method;
	hlen = pst_header_put(&h, hdr);
	memcpy(buf, hdr, hlen);
}

Test(pstread, encoded_fixtures)
{
	static const int methods[] = { PST_CRYPT_PERMUTE, PST_CRYPT_CYCLIC };
	struct pst	*f;
	struct pst_walk	 plain, w;
	struct cmp	 c;
	char		*dir, *pst, *buf, *enc, *cause = NULL;
	uint8_t		*b;
	size_t		 len, i;

	pst = fixture("exceptions.ics", &dir);
	buf = tu_slurp(pst, &len);
	cr_assert_eq(pst_open_mem(buf, len, &f, &cause), 0, "%s", cause);
	pst_walk(f, &plain);
	pst_close(f);
	for (i = 0; i < 2; i++) {
		b = malloc(len);
		memcpy(b, buf, len);
		encode_file(b, len, methods[i]);
		cr_assert(memcmp(b + 0x4800, buf + 0x4800, len - 0x4800) != 0);
		cr_assert_eq(pst_open_mem(b, len, &f, &cause), 0, "%s", cause);
		cr_assert_eq(pst_header(f)->crypt, methods[i]);
		pst_walk(f, &w);
		pst_close(f);
		cr_assert_eq(w.errors, 0, "%s", w.first_error);
		cr_assert_eq(w.messages, plain.messages);
		cr_assert_eq(w.props, plain.props);
		cr_assert_eq(w.embedded, plain.embedded);
		cr_assert_gt(w.embedded, 0);
		enc = tu_path(dir, methods[i] == PST_CRYPT_PERMUTE ?
		    "permute.pst" : "cyclic.pst");
		tu_spit(enc, b, len);
		cr_assert_eq(cmp_file(enc, &c), 1);
		cr_assert_eq(c.mismatches, 0, "%s", c.first);
		cr_assert_gt(c.entries, 100);
		free(enc);
		free(b);
	}
	free(buf);
	tu_rmdir(dir);
	free(dir);
	free(pst);
}

/* The one calendar folder's NID. */
static uint32_t
calendar(struct pst *f)
{
	struct pst_folder	*fo;
	size_t			 n, i;
	uint32_t		 nid = 0;

	cr_assert_eq(pst_folders(f, &fo, &n, NULL), 0);
	for (i = 0; i < n; i++)
		if (fo[i].container_class != NULL &&
		    strcmp(fo[i].container_class, MAPI_FOLDER_CALENDAR) == 0) {
			cr_assert_eq(nid, 0, "two calendar folders");
			nid = fo[i].nid;
		}
	pst_folders_free(fo, n);
	cr_assert_neq(nid, 0, "no calendar folder");
	return nid;
}

/* A 9 MiB attachment needs an XXBLOCK, a 30 KB body an XBLOCK: both
 * come back byte for byte, and libpff agrees. */
Test(pstread, xxblock_attachment)
{
	static const char head[] = "BEGIN:VCALENDAR\r\nPRODID:-//t//t//EN\r\n"
	    "VERSION:2.0\r\nBEGIN:VEVENT\r\nUID:big@example.com\r\n"
	    "SUMMARY:Big attachment\r\nDTSTART:20240611T090000Z\r\n"
	    "DTEND:20240611T100000Z\r\nDESCRIPTION:";
	static const char mid[] = "\r\nX-PST-ATTACH;FILENAME=big.txt:";
	static const char tail[] = "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
	const size_t	 body = 30000, att = 9u << 20;
	struct pst	*f;
	struct pst_pc	*pc, *ap;
	struct pst_tc	*tc;
	struct pst_prop	 v;
	struct pst_msglist ml;
	struct cmp	 c;
	char		*text, *o, *dir, *pst, *cause = NULL;
	size_t		 i;
	uint32_t	 id;

	text = o = malloc(sizeof head + body + sizeof mid + att + sizeof tail);
	o = stpcpy(o, head);
	for (i = 0; i < body; i++)
		*o++ = (char)('a' + i % 26);
	o = stpcpy(o, mid);
	for (i = 0; i < att; i++)
		*o++ = "0123456789abcdef"[i % 16];
	o = stpcpy(o, tail);
	dir = tu_tmpdir();
	pst = tu_mkpst_text(dir, text, (size_t)(o - text));
	free(text);
	cr_assert_eq(pst_open(pst, 0, &f, &cause), 0, "%s", cause);
	cr_assert_eq(pst_folder_messages(f, calendar(f), &ml, &cause), 0,
	    "%s", cause);
	cr_assert_eq(ml.n, 1);
	cr_assert_eq(pst_pc_open(f, ml.nid[0], &pc, &cause), 0, "%s", cause);
	cr_assert_eq(pst_pc_get(pc, MAPI_ID_BODY, &v, &cause), 1, "%s", cause);
	cr_assert_eq(v.len, 2 * body);
	for (i = 0; i < body; i++)
		cr_assert_eq(v.p[2 * i], 'a' + i % 26);
	cr_assert(pst_pc_has_sub(pc, PST_NID_ATTACHMENT_TABLE));
	cr_assert_not(pst_pc_has_sub(pc, 0x7fffffe1));
	cr_assert_eq(pst_tc_open_sub(pc, PST_NID_ATTACHMENT_TABLE, &tc,
	    &cause), 0, "%s", cause);
	cr_assert_eq(pst_tc_rows(tc), 1);
	cr_assert_eq(pst_tc_row_id(tc, 0, &id, &cause), 0);
	cr_assert_eq(pst_pc_open_sub(pc, id, &ap, &cause), 0, "%s", cause);
	cr_assert_eq(pst_pc_get(ap, MAPI_ID_ATTACH_DATA, &v, &cause), 1,
	    "%s", cause);
	cr_assert_eq(v.type, MAPI_PT_BINARY);
	cr_assert_eq(v.len, att);
	for (i = 0; i < att; i += 4093)
		cr_assert_eq(v.p[i], "0123456789abcdef"[i % 16], "byte %zu", i);
	pst_pc_free(ap);
	pst_tc_free(tc);
	pst_pc_free(pc);
	pst_msglist_free(&ml);
	pst_close(f);
	cr_assert_eq(cmp_file(pst, &c), 1);
	cr_assert_eq(c.mismatches, 0, "%s", c.first);
	cr_assert_eq(c.attachments, 1);
	tu_rmdir(dir);
	free(dir);
	free(pst);
}

/* The corpus: every PST/OST opens, every folder and message reads, and
 * agrees with libpff wherever libpff reads it. */
static const char *
corpus_dir(void)
{
	const char	*d = tu_env("PSTDEDUP_CORPUS");
	DIR		*dp;

	if (d == NULL || (dp = opendir(d)) == NULL)
		return NULL;
	closedir(dp);
	return d;
}

static int
is_pst(const char *name)
{
	size_t	n = strlen(name);

	return n > 4 && (strcmp(name + n - 4, ".pst") == 0 ||
	    strcmp(name + n - 4, ".ost") == 0);
}

Test(pstread, corpus_matches_libpff)
{
	const char	*d = corpus_dir();
	DIR		*dp;
	struct dirent	*de;
	struct pst	*f;
	struct pst_walk	 w;
	struct cmp	 c;
	char		*path, *cause = NULL;
	size_t		 nfiles = 0, kinds[3] = { 0 }, crypts[3] = { 0 };

	if (d == NULL)
		cr_skip_test("no corpus");
	dp = opendir(d);
	while ((de = readdir(dp)) != NULL) {
		if (!is_pst(de->d_name))
			continue;
		nfiles++;
		path = tu_path(d, de->d_name);
		cr_assert_eq(pst_open(path, 0, &f, &cause), 0, "%s: %s",
		    de->d_name, cause);
		kinds[pst_file_layout(f)->kind]++;
		crypts[pst_header(f)->crypt]++;
		pst_walk(f, &w);
		cr_assert_eq(w.errors, 0, "%s: %s", de->d_name, w.first_error);
		cr_assert_gt(w.folders, 0);
		pst_close(f);
		if (cmp_file(path, &c)) {
			cr_assert_eq(c.mismatches, 0, "%s: %zu mismatches, "
			    "first: %s", de->d_name, c.mismatches, c.first);
			cr_assert_gt(c.folders, 0);
		}
		fprintf(stderr, "# %s: folders %zu messages %zu (libpff "
		    "compared %zu, %zu appointments, %zu values, %zu named, "
		    "%zu recipients, %zu attachments, %zu embedded; libpff "
		    "failed on %zu)\n", de->d_name, w.folders, w.messages,
		    c.messages, c.appointments, c.entries, c.named, c.rows,
		    c.attachments, c.embedded, c.lpff_failed);
		free(path);
	}
	closedir(dp);
	cr_assert_geq(nfiles, 11);
	/* Every form and encoding the corpus promises was met. */
	cr_assert_gt(kinds[PST_ANSI], 0);
	cr_assert_gt(kinds[PST_UNICODE], 0);
	cr_assert_gt(kinds[PST_UNICODE4K], 0);
	cr_assert_gt(crypts[PST_CRYPT_NONE], 0);
	cr_assert_gt(crypts[PST_CRYPT_PERMUTE], 0);
	cr_assert_gt(crypts[PST_CRYPT_CYCLIC], 0);
}

static int	open_walk_owned(uint8_t *, size_t, struct pst_walk *, char **);

/*
 * Damage. Each damaged copy lives in a buffer of its exact size, so an
 * over-read is an ASan report; the assertions say what must come out.
 */
static int
open_walk(const uint8_t *buf, size_t len, struct pst_walk *w, char **cause)
{
	uint8_t	*copy = malloc(len ? len : 1);

	memcpy(copy, buf, len);
	return open_walk_owned(copy, len, w, cause);
}

/* Same, over buf (exactly len bytes), which it frees. */
static int
open_walk_owned(uint8_t *copy, size_t len, struct pst_walk *w,
    char **cause)
{
	struct pst	*f;

	memset(w, 0, sizeof *w);
	if (pst_open_mem(copy, len, &f, cause) != 0) {
		free(copy);
		return -1;
	}
	pst_walk(f, w);
	pst_close(f);
	free(copy);
	return 0;
}

static void
damage(const char *label, const uint8_t *buf, size_t len)
{
	struct pst_walk	 good, w;
	size_t		 cut, off, nflip = 0, skipped = 0, failed = 0, same = 0;
	char		*cause = NULL;
	uint32_t	 seed = 12345;
	int		 i;

	cr_assert_eq(open_walk(buf, len, &good, &cause), 0, "%s: %s", label,
	    cause);
	cr_assert_eq(good.errors, 0, "%s: %s", label, good.first_error);
	free(good.first_error);
	/* Truncation: below the header no file, else never a crash. */
	for (cut = 0; cut < len; cut += cut < 1024 ? 61 : 509 + cut / 16) {
		if (open_walk(buf, cut, &w, &cause) != 0) {
			cr_assert(cause != NULL && *cause != '\0');
			free(cause);
			cause = NULL;
		} else {
			cr_assert_geq(cut, 512, "%s: opened at %zu bytes",
			    label, cut);
			free(w.first_error);
		}
	}
	/* Header: every byte the CRCs cover breaks the open. */
	for (off = 8; off < 471 + 8; off += len > (4u << 20) ? 41 : 3) {
		uint8_t *b = malloc(len);

		memcpy(b, buf, len);
		b[off] ^= 0x10;
		cr_assert_eq(open_walk_owned(b, len, &w, &cause), -1,
		    "%s: byte %zu", label, off);
		cr_assert(strstr(cause, "checksum") != NULL ||
		    strstr(cause, "version") != NULL, "%s: %s", label, cause);
		free(cause);
		cause = NULL;
	}
	/* Anywhere else: a clean error, reported skips, or no change. */
	for (i = 0; i < (len > (4u << 20) ? 60 : 400); i++) {
		uint8_t *b = malloc(len);

		seed = seed * 1103515245 + 12345;
		off = 512 + (seed >> 1) % (len - 512);
		memcpy(b, buf, len);
		b[off] ^= (uint8_t)(1 << ((seed >> 24) & 7));
		nflip++;
		if (open_walk_owned(b, len, &w, &cause) != 0) {
			cr_assert(cause != NULL && *cause != '\0');
			free(cause);
			cause = NULL;
			failed++;
		} else if (w.errors > 0) {
			skipped++;
			free(w.first_error);
		} else
			same++;
	}
	fprintf(stderr, "# %s: %zu flips: open failed %zu, items skipped "
	    "%zu, unchanged %zu\n", label, nflip, failed, skipped, same);
	cr_assert_gt(failed + skipped, 0, "%s: no flip was noticed", label);
}

Test(pstread, damaged_fixture)
{
	char	*dir, *pst, *buf;
	size_t	 len;

	pst = fixture("exceptions.ics", &dir);
	buf = tu_slurp(pst, &len);
	cr_assert_not_null(buf);
	damage("exceptions fixture", (uint8_t *)buf, len);
	free(buf);
	tu_rmdir(dir);
	free(dir);
	free(pst);
}

Test(pstread, damaged_corpus)
{
	static const char *names[] = { "go-pst__32-bit.pst",
	    "hughbe-PstReader__simiden_pst2john_2003_high-encryption_"
	    "quickquick.pst",
	    "java-libpst__dist-list.pst",
	    "pst-extractor__pstextractortest@outlook.com.ost" };
	const char	*d = corpus_dir();
	char		*path, *buf;
	size_t		 i, len;

	if (d == NULL)
		cr_skip_test("no corpus");
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		path = tu_path(d, names[i]);
		if ((buf = tu_slurp(path, &len)) != NULL) {
			damage(names[i], (uint8_t *)buf, len);
			free(buf);
		}
		free(path);
	}
}

/* B-tree pages and blocks carry CRCs: a flipped bit inside one is an
 * error naming the checksum, in the open (pages) or the item (blocks). */
Test(pstread, checksums_catch_flips)
{
	struct pst		*f;
	const struct pst_node	*n;
	const struct pst_header	*h;
	struct pst_walk		 w;
	char			*dir, *pst, *buf, *cause = NULL;
	uint8_t			*b;
	size_t			 len;
	uint64_t		 nbt;

	pst = fixture("singles.ics", &dir);
	buf = tu_slurp(pst, &len);
	cr_assert_eq(pst_open_mem(buf, len, &f, &cause), 0, "%s", cause);
	h = pst_header(f);
	nbt = h->root.nbt.ib;
	n = pst_node_find(f, PST_NID_ROOT_FOLDER);
	cr_assert_not_null(n);
	pst_close(f);

	b = malloc(len);
	memcpy(b, buf, len);
	b[nbt + 17] ^= 1;
	cr_assert_eq(open_walk(b, len, &w, &cause), -1);
	cr_assert(strstr(cause, "node B-tree") != NULL &&
	    strstr(cause, "checksum") != NULL, "%s", cause);
	free(cause);
	free(b);
	free(buf);
	tu_rmdir(dir);
	free(dir);
	free(pst);
}

Test(pstread, not_a_pst)
{
	struct pst	*f;
	char		*cause = NULL;
	uint8_t		 junk[2048];

	memset(junk, 'x', sizeof junk);
	cr_assert_eq(pst_open_mem(junk, sizeof junk, &f, &cause), -1);
	cr_assert(strstr(cause, "not a PST") != NULL, "%s", cause);
	free(cause);
	cause = NULL;
	cr_assert_eq(pst_open("/nonexistent/x.pst", 0, &f, &cause), -1);
	cr_assert(strstr(cause, "No such file") != NULL, "%s", cause);
	free(cause);
	cause = NULL;
	cr_assert_eq(pst_open("/", 0, &f, &cause), -1);
	free(cause);
	cause = NULL;
	cr_assert_eq(pst_open_mem(junk, 0, &f, &cause), -1);
	free(cause);
}
