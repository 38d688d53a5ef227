/* test_mkpst.c: mkpst fixtures read back by libpff, readpst and pffinfo. */
#include <sys/stat.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <libpff.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ft.h"
#include "le.h"
#include "model.h"
#include "recur.h"
#include "rtf.h"
#include "testutil.h"
#include "text.h"
#include "tz.h"


static const uint8_t ps_appt[16] = {
	0x02, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46
};
static const uint8_t ps_meeting[16] = {
	0x90, 0xDA, 0xD8, 0x6E, 0x0B, 0x45, 0x1B, 0x10,
	0x98, 0xDA, 0x00, 0xAA, 0x00, 0x3F, 0x13, 0x05
};
static const uint8_t ps_common[16] = {
	0x08, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46
};
static const uint8_t ps_public[16] = {
	0x29, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46
};

/* One property as libpff reports it. */
struct tprop {
	uint32_t	 tag;		/* raw on-disk tag */
	uint32_t	 type;
	int		 named;		/* 0, 'n' numeric, 's' string */
	uint8_t		 guid[16];
	uint32_t	 lid;
	char		*name;
	uint8_t		*data;
	size_t		 len;
};

struct tset {
	struct tprop	*v;
	size_t		 n;
};

struct tmsg {
	char		*folder;	/* "Calendar/Project X" */
	char		*fclass;
	struct tset	 props;
	struct tset	*rcpts;
	size_t		 nrcpts;
	struct tset	*atts;		/* attachment properties */
	struct tmsg	**embs;		/* embedded message or NULL */
	size_t		 natts;
};

struct tpst {
	struct tmsg	**v;
	size_t		 n;
};

static void
set_free(struct tset *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].name);
		free(s->v[i].data);
	}
	free(s->v);
}

static void
msg_free(struct tmsg *m)
{
	size_t i;

	if (m == NULL)
		return;
	set_free(&m->props);
	for (i = 0; i < m->nrcpts; i++)
		set_free(&m->rcpts[i]);
	free(m->rcpts);
	for (i = 0; i < m->natts; i++) {
		set_free(&m->atts[i]);
		msg_free(m->embs[i]);
	}
	free(m->atts);
	free(m->embs);
	free(m->folder);
	free(m->fclass);
	free(m);
}

static void
tpst_free(struct tpst *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		msg_free(t->v[i]);
	free(t->v);
}


static void
read_set(libpff_record_set_t *rs, struct tset *s)
{
	libpff_name_to_id_map_entry_t *nm;
	libpff_record_entry_t *e;
	struct tprop *p;
	uint32_t tag, type;
	uint8_t t;
	size_t sz;
	int i, n = 0;

	memset(s, 0, sizeof *s);
	cr_assert_eq(libpff_record_set_get_number_of_entries(rs, &n, NULL), 1);
	for (i = 0; i < n; i++) {
		e = NULL;
		cr_assert_eq(libpff_record_set_get_entry_by_index(rs, i, &e,
		    NULL), 1);
		if (libpff_record_entry_get_entry_type(e, &tag, NULL) != 1)
			continue;
		s->v = realloc(s->v, (s->n + 1) * sizeof *s->v);
		p = &s->v[s->n++];
		memset(p, 0, sizeof *p);
		p->tag = tag;
		libpff_record_entry_get_value_type(e, &type, NULL);
		p->type = type;
		nm = NULL;
		if (libpff_record_entry_get_name_to_id_map_entry(e, &nm,
		    NULL) == 1) {
			libpff_name_to_id_map_entry_get_type(nm, &t, NULL);
			libpff_name_to_id_map_entry_get_guid(nm, p->guid, 16,
			    NULL);
			if (t == LIBPFF_NAME_TO_ID_MAP_ENTRY_TYPE_NUMERIC) {
				p->named = 'n';
				libpff_name_to_id_map_entry_get_number(nm,
				    &p->lid, NULL);
			} else {
				p->named = 's';
				libpff_name_to_id_map_entry_get_utf8_string_size
				    (nm, &sz, NULL);
				p->name = calloc(1, sz + 1);
				libpff_name_to_id_map_entry_get_utf8_string(nm,
				    (uint8_t *)p->name, sz, NULL);
			}
		}
		sz = 0;
		libpff_record_entry_get_data_size(e, &sz, NULL);
		p->data = calloc(1, sz + 2);
		if (sz > 0)
			libpff_record_entry_get_data(e, p->data, sz, NULL);
		p->len = sz;
		libpff_record_entry_free(&e, NULL);
	}
}

static void
read_item_props(libpff_item_t *item, struct tset *s)
{
	libpff_record_set_t *rs = NULL;

	cr_assert_eq(libpff_item_get_record_set_by_index(item, 0, &rs, NULL),
	    1);
	read_set(rs, s);
	libpff_record_set_free(&rs, NULL);
}

static struct tmsg *read_msg(libpff_item_t *, const char *, const char *);

static struct tmsg *
read_msg(libpff_item_t *msg, const char *folder, const char *fclass)
{
	struct tmsg *m = calloc(1, sizeof *m);
	libpff_item_t *rc = NULL, *att, *emb;
	libpff_record_set_t *rs;
	int n = 0, i, type;

	m->folder = strdup(folder);
	m->fclass = fclass != NULL ? strdup(fclass) : NULL;
	read_item_props(msg, &m->props);
	if (libpff_message_get_recipients(msg, &rc, NULL) == 1) {
		cr_assert_eq(libpff_item_get_number_of_record_sets(rc, &n,
		    NULL), 1);
		m->rcpts = calloc(n + 1, sizeof *m->rcpts);
		for (i = 0; i < n; i++) {
			rs = NULL;
			cr_assert_eq(libpff_item_get_record_set_by_index(rc, i,
			    &rs, NULL), 1);
			read_set(rs, &m->rcpts[m->nrcpts++]);
			libpff_record_set_free(&rs, NULL);
		}
		libpff_item_free(&rc, NULL);
	}
	n = 0;
	libpff_message_get_number_of_attachments(msg, &n, NULL);
	m->atts = calloc(n + 1, sizeof *m->atts);
	m->embs = calloc(n + 1, sizeof *m->embs);
	for (i = 0; i < n; i++) {
		att = NULL;
		cr_assert_eq(libpff_message_get_attachment(msg, i, &att, NULL),
		    1);
		read_item_props(att, &m->atts[i]);
		emb = NULL;
		/* libpff opens an OLE object (type data) as an item too. */
		type = 0;
		if (libpff_attachment_get_type(att, &type, NULL) == 1 &&
		    type == LIBPFF_ATTACHMENT_TYPE_ITEM &&
		    libpff_attachment_get_item(att, &emb, NULL) == 1) {
			m->embs[i] = read_msg(emb, folder, NULL);
			libpff_item_free(&emb, NULL);
		}
		libpff_item_free(&att, NULL);
		m->natts++;
	}
	return m;
}

static char *
set_str(const struct tset *s, uint32_t tag);

static void
walk(libpff_item_t *folder, const char *path, struct tpst *t)
{
	libpff_item_t *sub, *msg;
	struct tset fs;
	char name[512], *p, *cls;
	size_t sz;
	int n = 0, i;

	read_item_props(folder, &fs);
	cls = set_str(&fs, 0x3613);
	libpff_folder_get_number_of_sub_messages(folder, &n, NULL);
	for (i = 0; i < n; i++) {
		msg = NULL;
		cr_assert_eq(libpff_folder_get_sub_message(folder, i, &msg,
		    NULL), 1);
		t->v = realloc(t->v, (t->n + 1) * sizeof *t->v);
		t->v[t->n++] = read_msg(msg, path, cls);
		libpff_item_free(&msg, NULL);
	}
	free(cls);
	set_free(&fs);
	n = 0;
	libpff_folder_get_number_of_sub_folders(folder, &n, NULL);
	for (i = 0; i < n; i++) {
		sub = NULL;
		cr_assert_eq(libpff_folder_get_sub_folder(folder, i, &sub,
		    NULL), 1);
		name[0] = '\0';
		if (libpff_folder_get_utf8_name_size(sub, &sz, NULL) == 1 &&
		    sz > 0 && sz < sizeof name)
			libpff_folder_get_utf8_name(sub, (uint8_t *)name, sz,
			    NULL);
		/* Paths are relative to the IPM subtree. */
		if (*path == '\0' && strcmp(name, "Top of Personal Folders")
		    == 0)
			p = strdup("");
		else if (*path == '\0')
			p = strdup(name);
		else if (asprintf(&p, "%s/%s", path, name) == -1)
			p = NULL;
		cr_assert_not_null(p);
		walk(sub, p, t);
		free(p);
		libpff_item_free(&sub, NULL);
	}
}

static void
load(const char *path, struct tpst *t)
{
	libpff_file_t *f = NULL;
	libpff_item_t *root = NULL;
	libpff_error_t *err = NULL;
	char buf[2048];

	memset(t, 0, sizeof *t);
	cr_assert_eq(libpff_file_initialize(&f, NULL), 1);
	if (libpff_file_open(f, path, LIBPFF_OPEN_READ, &err) != 1) {
		libpff_error_backtrace_sprint(err, buf, sizeof buf);
		cr_assert_fail("libpff cannot open %s: %s", path, buf);
	}
	cr_assert_eq(libpff_file_get_root_folder(f, &root, NULL), 1);
	walk(root, "", t);
	libpff_item_free(&root, NULL);
	libpff_file_close(f, NULL);
	libpff_file_free(&f, NULL);
}

/* Build fixture name into a temporary directory and load it. */
static char *
build(const char *name, char **dir, struct tpst *t)
{
	char *out;

	*dir = tu_tmpdir();
	out = tu_path(*dir, "out.pst");
	tu_mkpst(name, out);
	load(out, t);
	return out;
}

/* Free what build() made, its directory removed. */
static void
built_free(struct tpst *t, char *out, char *dir)
{
	tpst_free(t);
	free(out);
	tu_rmdir(dir);
	free(dir);
}

static const struct tprop *
get_tag(const struct tset *s, uint32_t tag)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!s->v[i].named && (s->v[i].tag & 0xFFFF) ==
		    (tag & 0xFFFF))
			return &s->v[i];
	return NULL;
}

static const struct tprop *
get_lid(const struct tset *s, const uint8_t guid[16], uint32_t lid)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].named == 'n' && s->v[i].lid == lid &&
		    memcmp(s->v[i].guid, guid, 16) == 0)
			return &s->v[i];
	return NULL;
}

static const struct tprop *
get_name(const struct tset *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].named == 's' && strcmp(s->v[i].name, name) == 0)
			return &s->v[i];
	return NULL;
}

/* UTF-16LE value -> ASCII/UTF-8 (BMP only, enough for the tests). */
static char *
utf16_str(const struct tprop *p)
{
	char *s = calloc(1, p->len * 2 + 1), *o = s;
	size_t i;
	unsigned c;

	if (p->type == 0x001E) {
		memcpy(s, p->data, p->len);
		return s;
	}
	for (i = 0; i + 1 < p->len; i += 2) {
		c = p->data[i] | p->data[i + 1] << 8;
		if (c == 0)
			break;
		if (c < 0x80)
			*o++ = c;
		else if (c < 0x800) {
			*o++ = 0xC0 | c >> 6;
			*o++ = 0x80 | (c & 0x3F);
		} else {
			*o++ = 0xE0 | c >> 12;
			*o++ = 0x80 | ((c >> 6) & 0x3F);
			*o++ = 0x80 | (c & 0x3F);
		}
	}
	return s;
}

static char *
set_str(const struct tset *s, uint32_t tag)
{
	const struct tprop *p = get_tag(s, tag);

	return p != NULL ? utf16_str(p) : NULL;
}

static int64_t
prop_i64(const struct tprop *p)
{
	int64_t v = 0;
	size_t i;

	cr_assert_not_null(p);
	for (i = 0; i < p->len && i < 8; i++)
		v |= (int64_t)p->data[i] << (8 * i);
	if (p->len == 4)
		v = (int32_t)v;
	return v;
}

static int64_t
tag_int(const struct tset *s, uint32_t tag)
{
	const struct tprop *p = get_tag(s, tag);

	cr_assert_not_null(p, "tag 0x%04X missing", tag);
	return prop_i64(p);
}

static int64_t
lid_int(const struct tset *s, const uint8_t *g, uint32_t lid)
{
	const struct tprop *p = get_lid(s, g, lid);

	cr_assert_not_null(p, "LID 0x%04X missing", lid);
	return prop_i64(p);
}

static int64_t
ft(int y, int mo, int d, int h, int mi)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	return ((int64_t)timegm(&tm) + 11644473600LL) * FT_SEC;
}

static struct tmsg *
by_subject(const struct tpst *t, const char *subject, int nth)
{
	char *s;
	size_t i;
	int hit = 0;

	for (i = 0; i < t->n; i++) {
		s = set_str(&t->v[i]->props, 0x0E1D);
		if (s != NULL && strcmp(s, subject) == 0 && hit++ == nth) {
			free(s);
			return t->v[i];
		}
		free(s);
	}
	cr_assert_fail("no message \"%s\" #%d", subject, nth);
	return NULL;
}

static void
expect_str(const struct tset *s, uint32_t tag, const char *want)
{
	char *got = set_str(s, tag);

	cr_assert_not_null(got, "tag 0x%04X missing", tag);
	cr_expect_str_eq(got, want, "tag 0x%04X", tag);
	free(got);
}

static void
expect_lid_str(const struct tset *s, const uint8_t *g, uint32_t lid,
    const char *want)
{
	const struct tprop *p = get_lid(s, g, lid);
	char *got;

	cr_assert_not_null(p, "LID 0x%04X missing", lid);
	got = utf16_str(p);
	cr_expect_str_eq(got, want, "LID 0x%04X", lid);
	free(got);
}

/* A recipient row by SMTP address. */
static const struct tset *
rcpt(const struct tmsg *m, const char *smtp)
{
	char *s;
	size_t i;

	for (i = 0; i < m->nrcpts; i++) {
		s = set_str(&m->rcpts[i], 0x39FE);
		if (s != NULL && strcmp(s, smtp) == 0) {
			free(s);
			return &m->rcpts[i];
		}
		free(s);
	}
	cr_assert_fail("no recipient %s", smtp);
	return NULL;
}

static void
decode_recur(const struct tmsg *m, struct recur *r)
{
	const struct tprop *p = get_lid(&m->props, ps_appt, 0x8216);
	char *cause = NULL;

	cr_assert_not_null(p, "no recurrence blob");
	memset(r, 0, sizeof *r);
	cr_assert_eq(recur_decode(p->data, p->len, r, &cause), 0, "%s",
	    cause);
}

static void
expect_vcal_goid(const struct tprop *p, const char *uid)
{
	size_t n = strlen(uid);

	cr_assert_not_null(p);
	cr_assert_eq(p->len, 40 + 12 + n + 1);
	cr_expect_eq(memcmp(p->data, "\x04\x00\x00\x00\x82\x00\xE0\x00"
	    "\x74\xC5\xB7\x10\x1A\x82\xE0\x08", 16), 0);
	cr_expect_eq(p->data[36], 12 + n + 1);
	cr_expect_eq(memcmp(p->data + 40, "vCal-Uid\x01\x00\x00\x00", 12), 0);
	cr_expect_eq(memcmp(p->data + 52, uid, n), 0);
}

static void
expect_hex(const struct tprop *p, const char *hex)
{
	size_t i, n = strlen(hex) / 2;
	unsigned b;

	cr_assert_not_null(p);
	cr_assert_eq(p->len, n, "length %zu, want %zu", p->len, n);
	for (i = 0; i < n; i++) {
		sscanf(hex + 2 * i, "%2x", &b);
		cr_expect_eq(p->data[i], b, "byte %zu", i);
	}
}

/* ---- libpff: every modeled field ------------------------------------ */

Test(mkpst, singles)
{
	struct tpst t;
	struct tmsg *m;
	const struct tprop *p;
	struct tz tz;
	char *dir, *out, *cause = NULL, *rtf;
	size_t rtflen;

	out = build("singles.ics", &dir, &t);
	cr_assert_eq(t.n, 4);
	m = by_subject(&t, "Dentist", 0);
	cr_expect_str_eq(m->folder, "Calendar");
	cr_expect_str_eq(m->fclass, "IPF.Appointment");
	expect_str(&m->props, 0x001A, "IPM.Appointment");
	expect_str(&m->props, 0x0037, "\001\001Dentist");
	expect_lid_str(&m->props, ps_appt, 0x8208, "Main Street 12");
	expect_str(&m->props, 0x1000,
	    "Bring the insurance card.\nAsk about the bill.");
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x820D),
	    ft(2024, 3, 12, 8, 30));
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x820E),
	    ft(2024, 3, 12, 9, 15));
	cr_expect_eq(tag_int(&m->props, 0x0060), ft(2024, 3, 12, 8, 30));
	cr_expect_eq(tag_int(&m->props, 0x0061), ft(2024, 3, 12, 9, 15));
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8235),
	    ft(2024, 3, 12, 8, 30));
	cr_expect_eq(lid_int(&m->props, ps_common, 0x8517),
	    ft(2024, 3, 12, 9, 15));
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8215), 0);
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8205), 3);
	cr_expect_eq(tag_int(&m->props, 0x0036), 2);
	cr_expect_eq(tag_int(&m->props, 0x0017), 2);
	cr_expect_eq(lid_int(&m->props, ps_common, 0x8503), 1);
	cr_expect_eq(lid_int(&m->props, ps_common, 0x8501), 30);
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8201), 2);
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8223), 0);
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8217), 0);
	cr_expect_eq(tag_int(&m->props, 0x3007), ft(2024, 3, 1, 10, 15));
	cr_expect_eq(tag_int(&m->props, 0x3008), ft(2024, 3, 2, 11, 15));
	expect_str(&m->props, 0x3FF8, "Alex Example");
	p = get_name(&m->props, "Keywords");
	cr_assert_not_null(p);
	cr_expect_eq(memcmp(p->guid, ps_public, 16), 0);
	cr_expect_eq(p->type, 0x101F);
	cr_expect_eq(m->nrcpts, 0);
	expect_vcal_goid(get_lid(&m->props, ps_meeting, 0x0003),
	    "single-utc-0001@example.com");
	p = get_lid(&m->props, ps_meeting, 0x0023);
	cr_assert_not_null(p);
	cr_expect_eq(p->len, get_lid(&m->props, ps_meeting, 0x0003)->len);

	m = by_subject(&t, "Quarterly planning (Berlin office)", 0);
	/* 14:00 CEST = 12:00 UTC. */
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x820D),
	    ft(2024, 7, 10, 12, 0));
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x820E),
	    ft(2024, 7, 10, 13, 30));
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8205), 1);
	cr_expect_eq(tag_int(&m->props, 0x0017), 0);
	cr_expect_eq(tag_int(&m->props, 0x0036), 0);
	p = get_tag(&m->props, 0x1013);
	cr_assert_not_null(p);
	cr_expect_eq(p->len, strlen("<html><body><p>Agenda: <b>budget</b>"
	    "</p></body></html>"));
	cr_expect_eq(memcmp(p->data, "<html><body><p>Agenda:", 22), 0);
	p = get_tag(&m->props, 0x1009);
	cr_assert_not_null(p);
	cr_assert_eq(rtf_decompress(p->data, p->len, &rtf, &rtflen, &cause),
	    0, "%s", cause);
	cr_expect_not_null(strstr(rtf, "\\fromhtml1"));
	cr_expect_not_null(strstr(rtf, "{\\*\\htmltag64 <html><body><p>Agenda: "
	    "<b>budget</b></p></body></html>}"), "%s", rtf);
	free(rtf);
	p = get_lid(&m->props, ps_appt, 0x825E);
	cr_assert_not_null(p);
	memset(&tz, 0, sizeof tz);
	cr_assert_eq(tz_decode_def(p->data, p->len, &tz, &cause), 0, "%s",
	    cause);
	cr_expect_str_eq(tz.keyname, "W. Europe Standard Time");
	cr_assert_eq(tz.nrules, 1);
	cr_expect_eq(tz.rules[0].bias, -60);
	cr_expect_eq(tz.rules[0].dst_bias, -60);
	cr_expect_eq(tz.rules[0].std_date.month, 10);
	cr_expect_eq(tz.rules[0].dst_date.month, 3);
	cr_expect_eq(tz.rules[0].dst_date.day, 5);
	tz_free(&tz);
	cr_expect_not_null(get_lid(&m->props, ps_appt, 0x825F));
	cr_expect_null(get_lid(&m->props, ps_appt, 0x8260));

	m = by_subject(&t, "Company holiday", 0);
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8215), 1);
	/* Midnight in Berlin (CEST) on 3 October. */
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x820D),
	    ft(2024, 10, 2, 22, 0));
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x820E),
	    ft(2024, 10, 3, 22, 0));
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8205), 0);
	cr_expect_eq(lid_int(&m->props, ps_common, 0x8501), 1080);

	m = by_subject(&t, "Conference (3 days) – Zürich", 0);
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8215), 1);
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x820D),
	    ft(2024, 11, 4, 0, 0));
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x820E),
	    ft(2024, 11, 7, 0, 0));
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8213), 3 * 1440);
	cr_expect_eq(lid_int(&m->props, ps_common, 0x8503), 0);
	built_free(&t, out, dir);
}

Test(mkpst, meetings)
{
	struct tpst t;
	struct tmsg *m;
	const struct tset *r;
	char *dir, *out;

	out = build("meetings.ics", &dir, &t);
	cr_assert_eq(t.n, 2);
	m = by_subject(&t, "Design review", 0);
	expect_hex(get_lid(&m->props, ps_meeting, 0x0003),
	    "040000008200E00074C5B7101A82E00800000000D0AFE96CB462CA01"
	    "0000000000000000100000001" "9F8AF4D13C91844AA9CE63190D3408D");
	expect_hex(get_lid(&m->props, ps_meeting, 0x0023),
	    "040000008200E00074C5B7101A82E00800000000D0AFE96CB462CA01"
	    "0000000000000000100000001" "9F8AF4D13C91844AA9CE63190D3408D");
	/* 10:00 EDT = 14:00 UTC. */
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x820D),
	    ft(2024, 4, 15, 14, 0));
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8217), 3);
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8218), 3);
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8201), 1);
	cr_expect_eq(lid_int(&m->props, ps_meeting, 0x001A),
	    ft(2024, 4, 1, 12, 0));
	expect_str(&m->props, 0x0042, "Olivia Organizer");
	expect_str(&m->props, 0x5D02, "olivia@example.com");
	expect_str(&m->props, 0x0065, "olivia@example.com");
	expect_str(&m->props, 0x0064, "SMTP");
	/* The organizer's own ATTENDEE line folds into its row. */
	cr_assert_eq(m->nrcpts, 6);
	r = rcpt(m, "olivia@example.com");
	cr_expect_eq(tag_int(r, 0x5FFD), 3);
	cr_expect_eq(tag_int(r, 0x0C15), 1);
	expect_str(r, 0x3001, "Olivia Organizer");
	expect_str(r, 0x3002, "SMTP");
	expect_str(r, 0x3003, "olivia@example.com");
	r = rcpt(m, "alex@example.com");
	cr_expect_eq(tag_int(r, 0x5FFD), 1);
	cr_expect_eq(tag_int(r, 0x0C15), 1);
	cr_expect_eq(tag_int(r, 0x5FFF), 3);
	r = rcpt(m, "bea@example.com");
	expect_str(r, 0x3001, "Brown, Bea");
	cr_expect_eq(tag_int(r, 0x0C15), 2);
	cr_expect_eq(tag_int(r, 0x5FFF), 2);
	cr_expect_eq(tag_int(rcpt(m, "carl@example.com"), 0x5FFF), 4);
	cr_expect_eq(tag_int(rcpt(m, "dee@example.com"), 0x5FFF), 5);
	r = rcpt(m, "roomb@example.com");
	cr_expect_eq(tag_int(r, 0x0C15), 3);
	cr_expect_not_null(get_tag(r, 0x0FFF));
	expect_str(&m->props, 0x3FF8, "Alex Example");

	m = by_subject(&t, "Team standup kickoff", 0);
	/* Defaults: a meeting, organized by the owner. */
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8217), 1);
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8218), 1);
	cr_expect_eq(m->nrcpts, 3);
	cr_expect_eq(tag_int(rcpt(m, "ana@example.com"), 0x5FFF), 5);
	expect_vcal_goid(get_lid(&m->props, ps_meeting, 0x0003),
	    "organized-by-me-0002@example.com");
	built_free(&t, out, dir);
}

struct shape {
	const char	*subject;
	uint16_t	 freq, pattern;
	uint32_t	 period, mask, dom, nth, end_type, count;
	uint32_t	 start_offset, end_offset, first_dow;
};

Test(mkpst, recurrence_shapes)
{
	static const struct shape shapes[] = {
		{ "Every other day", RECUR_FREQ_DAILY, RECUR_PAT_DAY, 2880,
		    0, 0, 0, RECUR_END_COUNT, 10, 480, 495, 0 },
		{ "Every weekday", RECUR_FREQ_DAILY, RECUR_PAT_WEEK, 1, 0x3E,
		    0, 0, RECUR_END_DATE, 65, 540, 555, 0 },
		{ "Gym", RECUR_FREQ_WEEKLY, RECUR_PAT_WEEK, 1, 0x2A, 0, 0,
		    RECUR_END_NEVER, 10, 1080, 1170, 1 },
		{ "Payroll check", RECUR_FREQ_WEEKLY, RECUR_PAT_WEEK, 2, 0x20,
		    0, 0, RECUR_END_COUNT, 26, 600, 630, 0 },
		{ "Rent", RECUR_FREQ_MONTHLY, RECUR_PAT_MONTH, 1, 0, 15, 0,
		    RECUR_END_COUNT, 12, 540, 555, 0 },
		{ "Month-end close", RECUR_FREQ_MONTHLY, RECUR_PAT_MONTHEND,
		    1, 0, 31, 0, RECUR_END_DATE, 12, 960, 1020, 0 },
		{ "Board meeting", RECUR_FREQ_MONTHLY, RECUR_PAT_MONTHNTH, 1,
		    0x04, 0, 2, RECUR_END_NEVER, 10, 840, 960, 0 },
		{ "Last-Friday drinks", RECUR_FREQ_MONTHLY,
		    RECUR_PAT_MONTHNTH, 1, 0x20, 0, 5, RECUR_END_COUNT, 6,
		    1020, 1140, 0 },
		{ "Anniversary dinner", RECUR_FREQ_YEARLY, RECUR_PAT_MONTH,
		    12, 0, 14, 0, RECUR_END_NEVER, 10, 1140, 1320, 0 },
		{ "Thanksgiving call", RECUR_FREQ_YEARLY, RECUR_PAT_MONTHNTH,
		    12, 0x10, 0, 4, RECUR_END_COUNT, 5, 720, 780, 0 },
		{ "Bin day", RECUR_FREQ_WEEKLY, RECUR_PAT_WEEK, 1, 0x10, 0, 0,
		    RECUR_END_COUNT, 20, 0, 1440, 0 },
	};
	const struct shape *s;
	struct tpst t;
	struct tmsg *m;
	struct recur r;
	struct tz_rule reg;
	const struct tprop *p;
	char *dir, *out, *cause = NULL;
	size_t i;

	out = build("recurring.ics", &dir, &t);
	cr_assert_eq(t.n, sizeof shapes / sizeof shapes[0]);
	for (i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
		s = &shapes[i];
		m = by_subject(&t, s->subject, 0);
		cr_expect_eq(lid_int(&m->props, ps_appt, 0x8223), 1,
		    "%s", s->subject);
		cr_expect_eq(lid_int(&m->props, ps_meeting, 0x0005), 1);
		decode_recur(m, &r);
		cr_expect_eq(r.freq, s->freq, "%s freq", s->subject);
		cr_expect_eq(r.pattern, s->pattern, "%s pattern", s->subject);
		cr_expect_eq(r.period, s->period, "%s period", s->subject);
		cr_expect_eq(r.day_mask, s->mask, "%s mask", s->subject);
		cr_expect_eq(r.day_of_month, s->dom, "%s dom", s->subject);
		cr_expect_eq(r.nth, s->nth, "%s nth", s->subject);
		cr_expect_eq(r.end_type, s->end_type, "%s end", s->subject);
		cr_expect_eq(r.count, s->count, "%s count", s->subject);
		cr_expect_eq(r.start_offset, s->start_offset, "%s offset",
		    s->subject);
		cr_expect_eq(r.end_offset, s->end_offset, "%s end offset",
		    s->subject);
		cr_expect_eq(r.first_dow, s->first_dow, "%s wkst",
		    s->subject);
		if (s->end_type == RECUR_END_NEVER)
			cr_expect_eq(r.end_date, RECUR_NO_END_DATE);
		cr_expect_eq(r.ndeleted, 0);
		cr_expect_eq(r.nexcs, 0);
		recur_free(&r);
		p = get_lid(&m->props, ps_appt, 0x8233);
		cr_assert_not_null(p, "%s: no TimeZoneStruct", s->subject);
		cr_assert_eq(tz_decode_reg(p->data, p->len, &reg, &cause), 0,
		    "%s", cause);
		cr_expect_eq(reg.bias, -60);
		expect_lid_str(&m->props, ps_appt, 0x8234,
		    "W. Europe Standard Time");
		cr_expect_not_null(get_lid(&m->props, ps_appt, 0x8260));
	}
	/* Start date and range of one series in local minutes. */
	m = by_subject(&t, "Rent", 0);
	decode_recur(m, &r);
	cr_expect_eq(recur_min_to_ft(r.start_date), ft(2024, 1, 15, 0, 0));
	cr_expect_eq(recur_min_to_ft(r.end_date), ft(2024, 12, 15, 0, 0));
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8235),
	    ft(2024, 1, 15, 0, 0));
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8236),
	    ft(2024, 12, 15, 0, 0));
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8231), 3);
	recur_free(&r);
	built_free(&t, out, dir);
}

Test(mkpst, exceptions)
{
	struct tpst t;
	struct tmsg *m, *e;
	struct recur r;
	const struct tprop *p;
	char *dir, *out, *s;
	size_t i;

	out = build("exceptions.ics", &dir, &t);
	cr_assert_eq(t.n, 1);
	m = t.v[0];
	decode_recur(m, &r);
	cr_expect_eq(r.freq, RECUR_FREQ_WEEKLY);
	cr_expect_eq(r.day_mask, 0x04);
	cr_expect_eq(r.count, 10);
	/* 03-19 cancelled; 03-26 moved to 03-27; 04-09 changed in place. */
	cr_assert_eq(r.ndeleted, 3);
	cr_expect_eq(recur_min_to_ft(r.deleted[0]), ft(2024, 3, 19, 0, 0));
	cr_expect_eq(recur_min_to_ft(r.deleted[1]), ft(2024, 3, 26, 0, 0));
	cr_expect_eq(recur_min_to_ft(r.deleted[2]), ft(2024, 4, 9, 0, 0));
	cr_assert_eq(r.nmodified, 2);
	cr_expect_eq(recur_min_to_ft(r.modified[0]), ft(2024, 3, 27, 0, 0));
	cr_expect_eq(recur_min_to_ft(r.modified[1]), ft(2024, 4, 9, 0, 0));
	cr_assert_eq(r.nexcs, 2);
	cr_expect_eq(recur_min_to_ft(r.excs[0].start), ft(2024, 3, 27, 14, 0));
	cr_expect_eq(recur_min_to_ft(r.excs[0].orig_start),
	    ft(2024, 3, 26, 10, 0));
	cr_expect_eq(r.excs[0].flags, 0);
	cr_expect_eq(r.excs[1].flags, RECUR_ARO_SUBJECT | RECUR_ARO_LOCATION |
	    RECUR_ARO_BUSYSTATUS | RECUR_ARO_EXCEPTIONAL_BODY);
	cr_expect_str_eq(r.excs[1].subject,
	    "Weekly team meeting – budget special");
	cr_expect_str_eq(r.excs[1].location, "Board room");
	cr_expect_eq(r.excs[1].busy, 3);
	recur_free(&r);

	cr_assert_eq(m->natts, 2);
	cr_expect_eq(tag_int(&m->props, 0x0E1B), 1);
	for (i = 0; i < 2; i++) {
		cr_expect_eq(tag_int(&m->atts[i], 0x3705), 5);
		cr_expect_eq(tag_int(&m->atts[i], 0x7FFE), 1);
		cr_expect_eq(tag_int(&m->atts[i], 0x7FFD), 2);
		cr_assert_not_null(m->embs[i]);
		expect_str(&m->embs[i]->props, 0x001A,
		    "IPM.OLE.CLASS.{00061055-0000-0000-C000-000000000046}");
	}
	/* First: moved. Times in UTC on the message, local on the
	 * attachment (as Outlook writes them). */
	e = m->embs[0];
	cr_expect_eq(lid_int(&e->props, ps_appt, 0x820D),
	    ft(2024, 3, 27, 13, 0));
	cr_expect_eq(lid_int(&e->props, ps_appt, 0x8228),
	    ft(2024, 3, 26, 9, 0));
	cr_expect_eq(tag_int(&m->atts[0], 0x7FF9), ft(2024, 3, 26, 10, 0));
	cr_expect_eq(tag_int(&m->atts[0], 0x7FFB), ft(2024, 3, 27, 14, 0));
	cr_expect_eq(tag_int(&m->atts[0], 0x7FFC), ft(2024, 3, 27, 15, 0));
	cr_expect_null(get_tag(&e->props, 0x0037));
	p = get_lid(&e->props, ps_meeting, 0x0003);
	cr_assert_not_null(p);
	cr_expect_eq(p->data[16], 0x07);
	cr_expect_eq(p->data[17], 0xE8);
	cr_expect_eq(p->data[18], 3);
	cr_expect_eq(p->data[19], 26);
	p = get_lid(&e->props, ps_meeting, 0x0023);
	cr_assert_not_null(p);
	cr_expect_eq(p->data[16] | p->data[17] | p->data[18] | p->data[19], 0);
	cr_expect_eq(lid_int(&e->props, ps_appt, 0x8206), 0);

	/* Second: changed in place after the DST switch (CEST). */
	e = m->embs[1];
	cr_expect_eq(lid_int(&e->props, ps_appt, 0x820D),
	    ft(2024, 4, 9, 8, 0));
	cr_expect_eq(lid_int(&e->props, ps_appt, 0x820E),
	    ft(2024, 4, 9, 10, 0));
	cr_expect_eq(lid_int(&e->props, ps_appt, 0x8228),
	    ft(2024, 4, 9, 8, 0));
	s = set_str(&e->props, 0x0E1D);
	cr_expect_str_eq(s, "Weekly team meeting – budget special");
	free(s);
	expect_lid_str(&e->props, ps_appt, 0x8208, "Board room");
	expect_str(&e->props, 0x1000, "Budget only this time.");
	cr_expect_eq(lid_int(&e->props, ps_appt, 0x8206), 1);
	cr_expect_eq(lid_int(&e->props, ps_appt, 0x8205), 3);
	cr_expect_eq(e->nrcpts, 3);
	cr_expect_eq(tag_int(rcpt(e, "carl@example.com"), 0x5FFF), 5);
	built_free(&t, out, dir);
}

Test(mkpst, duplicates)
{
	struct tpst t;
	struct tmsg *a, *b;
	const struct tprop *ga, *gb;
	char *dir, *out;

	out = build("duplicates.ics", &dir, &t);
	cr_assert_eq(t.n, 5);
	a = by_subject(&t, "Vendor demo", 0);
	b = by_subject(&t, "Vendor demo", 1);
	ga = get_lid(&a->props, ps_meeting, 0x0003);
	gb = get_lid(&b->props, ps_meeting, 0x0003);
	cr_assert_not_null(ga);
	cr_assert_not_null(gb);
	cr_expect_eq(ga->len, gb->len);
	cr_expect_eq(memcmp(ga->data, gb->data, ga->len), 0);
	expect_str(&a->props, 0x3FF8, "Quest Sync Agent");
	expect_str(&b->props, 0x3FF8, "Calendar Repair Assistant");
	expect_str(&b->props, 0x3FFA, "SVC-CRA");
	cr_expect_eq(tag_int(&a->props, 0x3007), ft(2024, 4, 15, 2, 0));
	cr_expect_eq(tag_int(&b->props, 0x3007), ft(2024, 4, 16, 3, 15));
	/* Separately created objects: search keys differ. */
	ga = get_tag(&a->props, 0x300B);
	gb = get_tag(&b->props, 0x300B);
	cr_assert_not_null(ga);
	cr_assert_not_null(gb);
	cr_expect_neq(memcmp(ga->data, gb->data, ga->len), 0);
	cr_expect_not_null(get_name(&a->props, "Keywords"));
	cr_expect_null(get_name(&b->props, "Keywords"));

	a = by_subject(&t, "Lunch with Sam", 0);
	b = by_subject(&t, "Lunch with Sam", 1);
	cr_expect_null(get_lid(&a->props, ps_meeting, 0x0003));
	cr_expect_null(get_lid(&b->props, ps_meeting, 0x0023));
	cr_expect_eq(lid_int(&a->props, ps_appt, 0x820D),
	    lid_int(&b->props, ps_appt, 0x820D));
	b = by_subject(&t, "Lunch with Sam", 2);
	cr_expect_eq(lid_int(&b->props, ps_appt, 0x820D),
	    ft(2024, 5, 29, 11, 0));
	built_free(&t, out, dir);
}

Test(mkpst, folders_and_mail)
{
	struct tpst t;
	struct tmsg *m;
	const struct tprop *p;
	char *dir, *out;

	out = build("folders.ics", &dir, &t);
	cr_assert_eq(t.n, 6);
	m = by_subject(&t, "In a sub-calendar", 0);
	cr_expect_str_eq(m->folder, "Calendar/Project X");
	cr_expect_str_eq(m->fclass, "IPF.Appointment");
	m = by_subject(&t, "Deleted appointment", 0);
	cr_expect_str_eq(m->folder, "Deleted Items");
	m = by_subject(&t, "Invitation: Offsite", 0);
	cr_expect_str_eq(m->folder, "Inbox");
	cr_expect_str_eq(m->fclass, "IPF.Note");
	expect_str(&m->props, 0x001A, "IPM.Schedule.Meeting.Request");
	m = by_subject(&t, "Welcome to your new mailbox", 0);
	cr_expect_str_eq(m->folder, "Inbox");
	expect_str(&m->props, 0x001A, "IPM.Note");
	expect_str(&m->props, 0x0C1A, "IT Helpdesk");
	cr_expect_null(get_lid(&m->props, ps_appt, 0x820D));
	cr_expect_eq(m->nrcpts, 1);
	cr_assert_eq(m->natts, 1);
	cr_expect_eq(tag_int(&m->atts[0], 0x3705), 1);
	expect_str(&m->atts[0], 0x3707, "readme.txt");
	p = get_tag(&m->atts[0], 0x3701);
	cr_assert_not_null(p);
	cr_expect_eq(p->len, strlen("Migration notes\nline two"));
	cr_expect_eq(memcmp(p->data, "Migration notes\nline two", p->len), 0);
	m = by_subject(&t, "Ana's birthday", 0);
	cr_expect_str_eq(m->fclass, "IPF.Appointment.Birthday");
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8215), 1);
	built_free(&t, out, dir);
}

/* X-PST-RTF:html-only / text-only: the RTF stands alone. */
Test(mkpst, rtf_only_bodies)
{
	static const char text[] =
	    "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:text\r\n"
	    "DTSTART:20240101T100000Z\r\nDESCRIPTION:Plain words\r\n"
	    "X-PST-RTF:text-only\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\n"
	    "SUMMARY:html\r\nDTSTART:20240102T100000Z\r\n"
	    "X-ALT-DESC;FMTTYPE=text/html:<p>Marked up</p>\r\n"
	    "X-PST-RTF:html-only\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
	struct tpst t;
	struct tmsg *m;
	const struct tprop *p;
	char *dir, *pst, *rtf, *cause = NULL;
	size_t rtflen;

	pst = tu_mkpst_dir(text, &dir);
	load(pst, &t);
	cr_assert_eq(t.n, 2);
	m = by_subject(&t, "text", 0);
	cr_expect_null(get_tag(&m->props, 0x1000));
	cr_expect_null(get_tag(&m->props, 0x1013));
	cr_assert_not_null(p = get_tag(&m->props, 0x1009));
	cr_assert_eq(rtf_decompress(p->data, p->len, &rtf, &rtflen, &cause),
	    0, "%s", cause);
	cr_expect_not_null(strstr(rtf, "Plain words"), "%s", rtf);
	cr_expect_null(strstr(rtf, "\\fromhtml1"), "%s", rtf);
	free(rtf);
	m = by_subject(&t, "html", 0);
	cr_expect_null(get_tag(&m->props, 0x1000));
	cr_expect_null(get_tag(&m->props, 0x1013));
	cr_assert_not_null(p = get_tag(&m->props, 0x1009));
	cr_assert_eq(rtf_decompress(p->data, p->len, &rtf, &rtflen, &cause),
	    0, "%s", cause);
	cr_expect_not_null(strstr(rtf, "{\\*\\htmltag64 <p>Marked up</p>}"),
	    "%s", rtf);
	free(rtf);
	tpst_free(&t);
	tu_rmdir(dir);
	free(dir);
	free(pst);
}

Test(mkpst, traps)
{
	struct tpst t;
	struct tmsg *m;
	struct recur r;
	const struct tprop *p;
	char *dir, *out, *cause = NULL;

	out = build("traps.ics", &dir, &t);
	cr_assert_eq(t.n, 6);
	m = by_subject(&t, "GUID confusion trap", 0);
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x820D),
	    ft(2024, 7, 1, 8, 0));
	cr_expect_eq(lid_int(&m->props, ps_common, 0x820D),
	    ft(2001, 1, 1, 0, 0));
	cr_expect_eq(tag_int(&m->props, 0x3FDE), 65001);
	p = get_name(&m->props, "X-Fixture-Tag");
	cr_assert_not_null(p);
	cr_expect_eq(memcmp(p->guid, ps_public, 16), 0);

	m = by_subject(&t, "Truncated recurrence blob", 0);
	p = get_lid(&m->props, ps_appt, 0x8216);
	cr_assert_not_null(p);
	cr_expect_eq(p->len, 20);
	memset(&r, 0, sizeof r);
	cr_expect_eq(recur_decode(p->data, p->len, &r, &cause), -1);
	free(cause);
	cause = NULL;

	m = by_subject(&t, "Recurrence blob with a lying count", 0);
	p = get_lid(&m->props, ps_appt, 0x8216);
	cr_assert_not_null(p);
	memset(&r, 0, sizeof r);
	cr_expect_eq(recur_decode(p->data, p->len, &r, &cause), -1);
	free(cause);
	cause = NULL;

	m = by_subject(&t, "Truncated time zone blobs", 0);
	p = get_lid(&m->props, ps_appt, 0x8233);
	cr_assert_not_null(p);
	cr_expect_eq(p->len, 20);
	p = get_lid(&m->props, ps_appt, 0x8260);
	cr_assert_not_null(p);
	cr_expect_eq(p->len, 10);

	m = by_subject(&t, "Explicit GOIDs that disagree", 0);
	expect_hex(get_lid(&m->props, ps_meeting, 0x0003),
	    "040000008200E00074C5B7101A82E008000000000000000000000000000000"
	    "00000000001500000076" "43616C2D55696401000000643962356433666400");
	expect_hex(get_lid(&m->props, ps_meeting, 0x0023),
	    "040000008200E00074C5B7101A82E00800000000F0E0D0C0B0A0C901000000"
	    "0000000000100000000102030405060708090A0B0C0D0E0F10");

	m = by_subject(&t, "No UID at all", 0);
	cr_expect_null(get_lid(&m->props, ps_meeting, 0x0003));
	cr_expect_eq(lid_int(&m->props, ps_appt, 0x8213), 45);
	built_free(&t, out, dir);
}

/* ---- readpst and pffinfo -------------------------------------------- */

/* All of readpst's calendar output for a PST, concatenated. */
static char *
readpst_text(const char *pst, const char *dir)
{
	const char *readpst = tu_env("READPST");
	struct tu_run r;
	char *odir, *cmd, *all = NULL;
	size_t len = 0, n;
	FILE *f;
	char buf[4096];

	if (readpst == NULL)
		cr_skip_test("READPST not set");
	odir = tu_path(dir, "readpst");
	cr_assert_eq(mkdir(odir, 0700), 0);
	tu_run(&r, NULL, (char *const[]){ (char *)readpst, (char *)"-r",
	    (char *)"-t", (char *)"a", (char *)"-o", odir, (char *)pst,
	    NULL });
	cr_assert_eq(r.status, 0, "readpst: %s", r.err);
	tu_run_free(&r);
	cr_assert_neq(asprintf(&cmd, "find '%s' -type f -name calendar "
	    "-exec cat {} +", odir), -1);
	f = popen(cmd, "r");
	cr_assert_not_null(f);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		all = realloc(all, len + n + 1);
		memcpy(all + len, buf, n);
		len += n;
	}
	pclose(f);
	free(cmd);
	free(odir);
	if (all == NULL)
		all = strdup("");
	else
		all[len] = '\0';
	return all;
}

static void
pffinfo_ok(const char *pst)
{
	const char *pffinfo = tu_env("PFFINFO");
	struct tu_run r;

	if (pffinfo == NULL)
		cr_skip_test("PFFINFO not set");
	tu_run(&r, NULL, (char *const[]){ (char *)pffinfo, (char *)pst,
	    NULL });
	cr_expect_eq(r.status, 0, "pffinfo %s: %s", pst, r.err);
	tu_run_free(&r);
}

/* Parameters are copied into each test process: no pointers. */
struct rp_case {
	char		 fixture[32];
	int		 events;
	char		 lines[8][64];
};

static const struct rp_case rp_cases[] = {
	{ "singles.ics", 4, { "SUMMARY:Dentist\n",
	    "DTSTART;VALUE=DATE-TIME:20240312T083000Z",
	    "DTSTART;VALUE=DATE-TIME:20240710T120000Z",
	    "DTSTART;VALUE=DATE-TIME:20241002T220000Z" } },
	{ "meetings.ics", 2, { "SUMMARY:Design review",
	    "DTSTART;VALUE=DATE-TIME:20240415T140000Z" } },
	{ "recurring.ics", 11, { "RRULE:FREQ=DAILY;COUNT=10;INTERVAL=2",
	    "BYDAY=MO;TU;WE;TH;FR", "RRULE:FREQ=WEEKLY;BYDAY=MO;WE;FR",
	    "INTERVAL=2;BYDAY=FR", "BYMONTHDAY=15", "FREQ=YEARLY" } },
	{ "exceptions.ics", 1, { "SUMMARY:Weekly team meeting",
	    "DTSTART;VALUE=DATE-TIME:20240305T090000Z",
	    "RRULE:FREQ=WEEKLY;COUNT=10;BYDAY=TU" } },
	{ "duplicates.ics", 5, { "SUMMARY:Vendor demo", "SUMMARY:Lunch with "
	    "Sam", "DTSTART;VALUE=DATE-TIME:20240529T110000Z" } },
	/* Deleted Items and the Inbox are not calendars for readpst. */
	{ "folders.ics", 3, { "SUMMARY:In a sub-calendar",
	    "SUMMARY:Ana's birthday" } },
	{ "traps.ics", 6, { "SUMMARY:Explicit GOIDs that disagree" } },
};

ParameterizedTestParameters(mkpst, readers)
{
	return cr_make_param_array(struct rp_case, rp_cases,
	    sizeof rp_cases / sizeof rp_cases[0]);
}

ParameterizedTest(const struct rp_case *c, mkpst, readers)
{
	char *dir = tu_tmpdir(), *out = tu_path(dir, "out.pst"), *text;
	size_t i;

	tu_mkpst(c->fixture, out);
	pffinfo_ok(out);
	text = readpst_text(out, dir);
	cr_expect_eq(tu_count(text, "BEGIN:VEVENT"), c->events, "%s: %d events",
	    c->fixture, tu_count(text, "BEGIN:VEVENT"));
	for (i = 0; i < 8 && c->lines[i][0] != '\0'; i++)
		cr_expect_not_null(strstr(text, c->lines[i]), "%s: no \"%s\"",
		    c->fixture, c->lines[i]);
	free(text);
	free(out);
	tu_rmdir(dir);
	free(dir);
}

/* The "Weekly team meeting" of recurring.ics, in readpst's words. */
Test(mkpst, readpst_summaries_match_text)
{
	static const char *const subjects[] = {
		"Every other day", "Every weekday", "Gym", "Payroll check",
		"Rent", "Month-end close", "Board meeting",
		"Last-Friday drinks", "Anniversary dinner",
		"Thanksgiving call", "Bin day"
	};
	char *dir = tu_tmpdir(), *out = tu_path(dir, "out.pst"), *text;
	char line[128];
	size_t i;

	tu_mkpst("recurring.ics", out);
	text = readpst_text(out, dir);
	for (i = 0; i < sizeof subjects / sizeof subjects[0]; i++) {
		snprintf(line, sizeof line, "SUMMARY:%s\n", subjects[i]);
		cr_expect_eq(tu_count(text, line), 1, "%s", subjects[i]);
	}
	cr_expect_eq(tu_count(text, "RRULE:"), 11);
	free(text);
	free(out);
	tu_rmdir(dir);
	free(dir);
}

/* ---- errors ---------------------------------------------------------- */

struct bad_case {
	char		 text[512];
	int		 line;
	char		 what[64];
};

static const struct bad_case bad_cases[] = {
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nDTSTART:2024-01-01\n"
	    "END:VEVENT\nEND:VCALENDAR\n", 4, "DTSTART" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;TZID=Mars Standard Time:"
	    "20240101T100000\nEND:VEVENT\nEND:VCALENDAR\n", 3, "Mars" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20240101T100000Z\n"
	    "X-PST-FOLDR:Calendar\nEND:VEVENT\nEND:VCALENDAR\n", 4,
	    "X-PST-FOLDR" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20240101T100000Z\n"
	    "END:VTODO\nEND:VCALENDAR\n", 4, "END" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20240101T100000Z\n"
	    "RRULE:FREQ=DAILY;BYHOUR=9,17\nEND:VEVENT\nEND:VCALENDAR\n", 4,
	    "RRULE" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\n"
	    "DTSTART:20240101T100000Z\nEND:VEVENT\nBEGIN:VEVENT\nUID:a\n"
	    "RECURRENCE-ID:20240102T100000Z\nDTSTART:20240102T110000Z\n"
	    "END:VEVENT\nEND:VCALENDAR\n", 6, "RECURRENCE-ID" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20240101T100000Z\n"
	    "X-PST-PROP:0x3FDE:I4:lots\nEND:VEVENT\nEND:VCALENDAR\n", 4,
	    "X-PST-PROP" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20240101T100000Z\n"
	    "this is not a content line\nEND:VEVENT\nEND:VCALENDAR\n", 4,
	    "bad content line" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20240101T100000Z\n"
	    "DESCRIPTION:x\nX-PST-RTF:text-onlyish\nEND:VEVENT\n"
	    "END:VCALENDAR\n", 5, "html-only or text-only" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20240101T100000Z\n"
	    "X-PST-RTF:htm\nEND:VEVENT\nEND:VCALENDAR\n", 4,
	    "html-only or text-only" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20240101T100000Z\n"
	    "X-MICROSOFT-DISALLOW-COUNTER:maybe\nEND:VEVENT\nEND:VCALENDAR\n",
	    4, "TRUE or FALSE" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20240101T100000Z\n"
	    "X-MS-OLK-CONFTYPE:netmeeting\nEND:VEVENT\nEND:VCALENDAR\n", 4,
	    "X-MS-OLK-CONFTYPE" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20240101T100000Z\n"
	    "X-MS-OLK-APPTSEQTIME:yesterday\nEND:VEVENT\nEND:VCALENDAR\n", 4,
	    "date-time" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20240101T100000Z\n"
	    "END:VEVENT\n", 1, "never closed" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:no start\nEND:VEVENT\n"
	    "END:VCALENDAR\n", 2, "no DTSTART" },
	{ "BEGIN:VCALENDAR\nX-PST-FORMAT:OST\nBEGIN:VEVENT\n"
	    "DTSTART:20240101T100000Z\nEND:VEVENT\nEND:VCALENDAR\n", 2,
	    "X-PST-FORMAT" },
	{ "BEGIN:VCALENDAR\nX-PST-CRYPT:ROT13\nBEGIN:VEVENT\n"
	    "DTSTART:20240101T100000Z\nEND:VEVENT\nEND:VCALENDAR\n", 2,
	    "X-PST-CRYPT" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20240101T100000Z\n"
	    "X-PST-ATTACH-COUNT:many\nEND:VEVENT\nEND:VCALENDAR\n", 4,
	    "X-PST-ATTACH-COUNT" },
	/* Zones go through icsread's reader: its strict rules, our line. */
	{ "BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nTZID:Two\nBEGIN:STANDARD\n"
	    "DTSTART:16010101T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\n"
	    "END:STANDARD\nBEGIN:STANDARD\nDTSTART:16010101T030000\n"
	    "TZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nEND:STANDARD\n"
	    "END:VTIMEZONE\nEND:VCALENDAR\n", 2,
	    "VTIMEZONE: not one STANDARD and at most one DAYLIGHT" },
	{ "BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nTZID:Z\nBEGIN:STANDARD\n"
	    "DTSTART:16010101T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\n"
	    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\nEND:STANDARD\n"
	    "BEGIN:DAYLIGHT\nDTSTART:16010101T020000\nTZOFFSETFROM:+0100\n"
	    "TZOFFSETTO:+0200\nEND:DAYLIGHT\nEND:VTIMEZONE\n"
	    "END:VCALENDAR\n", 2, "both with RRULE" },
	{ "BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nBEGIN:STANDARD\n"
	    "DTSTART:16010101T030000\nTZOFFSETTO:+0100\nEND:STANDARD\n"
	    "END:VTIMEZONE\nEND:VCALENDAR\n", 2, "VTIMEZONE: no TZID" },
	{ "BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nTZID:Z\nBEGIN:STANDARD\n"
	    "DTSTART:16010101T030000\nTZOFFSETTO:+0100\nEND:STANDARD\n"
	    "END:VTIMEZONE\nBEGIN:VTIMEZONE\nTZID:Z\nBEGIN:STANDARD\n"
	    "DTSTART:16010101T030000\nTZOFFSETTO:+0100\nEND:STANDARD\n"
	    "END:VTIMEZONE\nEND:VCALENDAR\n", 10, "defined twice" },
};

ParameterizedTestParameters(mkpst, bad_text)
{
	return cr_make_param_array(struct bad_case, bad_cases,
	    sizeof bad_cases / sizeof bad_cases[0]);
}

ParameterizedTest(const struct bad_case *c, mkpst, bad_text)
{
	const char *mkpst = tu_env("MKPST");
	char *dir, *in, *out, *want;
	struct tu_run r;

	if (mkpst == NULL)
		cr_skip_test("MKPST not set");
	dir = tu_tmpdir();
	in = tu_path(dir, "bad.ics");
	out = tu_path(dir, "bad.pst");
	tu_spit(in, c->text, strlen(c->text));
	tu_run(&r, NULL, (char *const[]){ (char *)mkpst, (char *)"-o", out,
	    in, NULL });
	cr_expect_eq(r.status, 65, "status %d: %s", r.status, r.err);
	cr_assert_neq(asprintf(&want, "mkpst: %s:%d: ", in, c->line), -1);
	cr_expect_eq(strncmp(r.err, want, strlen(want)), 0,
	    "stderr \"%s\", want prefix \"%s\"", r.err, want);
	cr_expect_not_null(strstr(r.err, c->what), "stderr \"%s\"", r.err);
	cr_expect_eq(tu_count_entries(dir), 1, "partial output left");
	free(want);
	tu_run_free(&r);
	free(in);
	free(out);
	tu_rmdir(dir);
	free(dir);
}

Test(mkpst, unwritable_output)
{
	const char *mkpst = tu_env("MKPST"), *src = tu_env("TEST_SRCDIR");
	char *in, *d;
	struct tu_run r;

	if (mkpst == NULL || src == NULL)
		cr_skip_test("MKPST or TEST_SRCDIR not set");
	d = tu_path(src, "data");
	in = tu_path(d, "singles.ics");
	tu_run(&r, NULL, (char *const[]){ (char *)mkpst, (char *)"-o",
	    (char *)"/nonexistent-dir/x.pst", in, NULL });
	cr_expect_eq(r.status, 73, "status %d: %s", r.status, r.err);
	cr_expect_not_null(strstr(r.err, "/nonexistent-dir/x.pst"));
	tu_run_free(&r);
	tu_run(&r, NULL, (char *const[]){ (char *)mkpst, (char *)"--synth",
	    (char *)"10", (char *)"-o", (char *)"/nonexistent-dir/y.pst",
	    NULL });
	cr_expect_eq(r.status, 73, "status %d: %s", r.status, r.err);
	cr_expect_not_null(strstr(r.err, "/nonexistent-dir/y.pst"));
	tu_run_free(&r);
	free(in);
	free(d);
}

Test(mkpst, missing_input)
{
	const char *mkpst = tu_env("MKPST");
	char *dir, *out;
	struct tu_run r;

	if (mkpst == NULL)
		cr_skip_test("MKPST not set");
	dir = tu_tmpdir();
	out = tu_path(dir, "x.pst");
	tu_run(&r, NULL, (char *const[]){ (char *)mkpst, (char *)"-o", out,
	    (char *)"/nonexistent-dir/none.ics", NULL });
	cr_expect_eq(r.status, 66, "status %d: %s", r.status, r.err);
	cr_expect_not_null(strstr(r.err, "none.ics"));
	cr_expect_eq(tu_count_entries(dir), 0);
	tu_run_free(&r);
	free(out);
	tu_rmdir(dir);
	free(dir);
}

/* ---- synthetic mode --------------------------------------------------- */

static void
synth(const char *out, const char *seed, struct tu_run *r)
{
	const char *mkpst = tu_env("MKPST");

	if (mkpst == NULL)
		cr_skip_test("MKPST not set");
	tu_run(r, NULL, (char *const[]){ (char *)mkpst, (char *)"--synth",
	    (char *)"300", (char *)"--seed", (char *)seed,
	    (char *)"--dup-share", (char *)"0.1", (char *)"--body-bytes",
	    (char *)"500", (char *)"--mails", (char *)"20",
	    (char *)"--attach-bytes", (char *)"5000", (char *)"-o",
	    (char *)out, NULL });
	cr_assert_eq(r->status, 0, "status %d: %s", r->status, r->err);
}

static unsigned long
planted(const char *err, const char *key)
{
	const char *p = strstr(err, key);

	cr_assert_not_null(p, "no %s in \"%s\"", key, err);
	return strtoul(p + strlen(key), NULL, 10);
}

Test(mkpst, synth_plants_what_it_reports)
{
	char *dir = tu_tmpdir(), *out = tu_path(dir, "s.pst"), *s;
	unsigned long cra = 0, cal = 0, mails = 0, nog = 0, atts = 0, excs = 0;
	struct tu_run r;
	struct tpst t;
	size_t i;

	synth(out, "7", &r);
	cr_expect_eq(planted(r.err, " items="), 300);
	cr_expect_eq(planted(r.err, " goid_dups="), 15);
	cr_expect_eq(planted(r.err, " content_dups="), 15);
	cr_expect_eq(planted(r.err, " originals="), 270);
	cr_expect_eq(planted(r.err, " mails="), 20);
	cr_expect_eq(planted(r.err, " singles=") + planted(r.err,
	    " all_day=") + planted(r.err, " meetings=") + planted(r.err,
	    " series="), 270);
	load(out, &t);
	for (i = 0; i < t.n; i++) {
		if (strcmp(t.v[i]->folder, "Inbox") == 0) {
			mails++;
			atts += t.v[i]->natts;
			continue;
		}
		cr_expect_str_eq(t.v[i]->folder, "Calendar");
		cal++;
		s = set_str(&t.v[i]->props, 0x3FF8);
		if (s != NULL && strcmp(s, "Calendar Repair Assistant") == 0)
			cra++;
		free(s);
		if (get_lid(&t.v[i]->props, ps_meeting, 0x0003) == NULL)
			nog++;
		for (size_t k = 0; k < t.v[i]->natts; k++) {
			if (t.v[i]->embs[k] != NULL)
				excs++;
			else
				atts++;
		}
		cr_expect_eq(get_tag(&t.v[i]->props, 0x1000)->len, 1000);
	}
	cr_expect_eq(cal, 300);
	cr_expect_eq(mails, 20);
	cr_expect_eq(cra, 15);
	/* Content duplicates and their originals carry no GOID. */
	cr_expect_eq(nog, 30);
	cr_expect_eq(atts, planted(r.err, " attachments="));
	cr_expect_geq(excs, planted(r.err, " exceptions="));
	tu_run_free(&r);
	built_free(&t, out, dir);
}

Test(mkpst, synth_is_deterministic)
{
	char *dir = tu_tmpdir(), *a = tu_path(dir, "a.pst");
	char *b = tu_path(dir, "b.pst"), *c = tu_path(dir, "c.pst");
	char *da, *db, *dc;
	size_t la, lb, lc;
	struct tu_run r;

	synth(a, "42", &r);
	tu_run_free(&r);
	synth(b, "42", &r);
	tu_run_free(&r);
	synth(c, "43", &r);
	tu_run_free(&r);
	da = tu_slurp(a, &la);
	db = tu_slurp(b, &lb);
	dc = tu_slurp(c, &lc);
	cr_assert_eq(la, lb);
	cr_expect_eq(memcmp(da, db, la), 0);
	cr_expect(la != lc || memcmp(da, dc, la) != 0);
	free(da);
	free(db);
	free(dc);
	free(a);
	free(b);
	free(c);
	tu_rmdir(dir);
	free(dir);
}

Test(mkpst, sample_builds)
{
	const char *mkpst = tu_env("MKPST"), *src = tu_env("TEST_SRCDIR");
	char *dir, *out, *in, *s;
	struct tu_run r;
	struct tpst t;
	size_t i, cra = 0, quest = 0, excs = 0;

	if (mkpst == NULL || src == NULL)
		cr_skip_test("MKPST or TEST_SRCDIR not set");
	dir = tu_tmpdir();
	out = tu_path(dir, "sample.pst");
	cr_assert_neq(asprintf(&in, "%s/../sample/sample.ics", src), -1);
	tu_run(&r, NULL, (char *const[]){ (char *)mkpst, (char *)"-o", out,
	    in, NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	load(out, &t);
	cr_expect_eq(t.n, 10);
	for (i = 0; i < t.n; i++) {
		s = set_str(&t.v[i]->props, 0x3FF8);
		cra += s != NULL && strcmp(s, "Calendar Repair Assistant") == 0;
		quest += s != NULL && strcmp(s, "Quest Sync Agent") == 0;
		excs += t.v[i]->natts;
		free(s);
	}
	cr_expect_eq(cra, 2);
	cr_expect_eq(quest, 3);
	cr_expect_eq(excs, 2);
	free(in);
	built_free(&t, out, dir);
}

/* ---- file forms: ANSI, permute and cyclic ---------------------------- */

/* Parameters are copied into each test process: no pointers. */
struct form {
	char		 name[24];
	char		 lines[64];	/* VCALENDAR properties */
	char		 flags[2][16];	/* the same for mkpst --synth */
	int		 ansi;
};

static const struct form forms[] = {
	{ "unicode-permute", "X-PST-CRYPT:PERMUTE\n",
	    { "--crypt=permute" }, 0 },
	{ "unicode-cyclic", "X-PST-CRYPT:CYCLIC\n", { "--crypt=cyclic" }, 0 },
	{ "ansi", "X-PST-FORMAT:ANSI\n", { "--ansi" }, 1 },
	{ "ansi-permute", "X-PST-FORMAT:ANSI\nX-PST-CRYPT:PERMUTE\n",
	    { "--ansi", "--crypt=permute" }, 1 },
	{ "ansi-cyclic", "x-pst-format:ansi\nX-PST-CRYPT:cyclic\n",
	    { "--ansi", "--crypt=cyclic" }, 1 },
};

static const char *const all_fixtures[] = {
	"attachments.ics", "bad-base.ics", "bad-blobs.ics", "bad-extremes.ics",
	"bad-nocal.ics", "bad-times.ics", "duplicates.ics", "exceptions.ics",
	"folders.ics", "grouping.ics", "meetings.ics", "recurring.ics",
	"rt-adelaide.ics", "rt-eastern.ics", "rt-europe.ics", "rt-india.ics",
	"rt-newzealand.ics", "rt-utc.ics", "singles.ics", "traps.ics"
};

/* Fixture text with lines added to its VCALENDAR, built into out. */
static void
mkpst_form(const char *name, const char *lines, const char *out)
{
	const char *mkpst = tu_env("MKPST"), *src = tu_env("TEST_SRCDIR");
	char *dir, *in, *text, *ics, *cut, *all;
	struct tu_run r;
	size_t len;

	if (mkpst == NULL || src == NULL)
		cr_skip_test("MKPST or TEST_SRCDIR not set");
	dir = tu_path(src, "data");
	in = tu_path(dir, name);
	text = tu_slurp(in, &len);
	cut = strstr(text, "BEGIN:VCALENDAR");
	cr_assert_not_null(cut, "%s", name);
	cut = strchr(cut, '\n');
	cr_assert_not_null(cut);
	cr_assert_neq(asprintf(&all, "%.*s%s%s", (int)(cut + 1 - text), text,
	    lines, cut + 1), -1);
	cr_assert_neq(asprintf(&ics, "%s.ics", out), -1);
	tu_spit(ics, all, strlen(all));
	tu_run(&r, NULL, (char *const[]){ (char *)mkpst, (char *)"-o",
	    (char *)out, ics, NULL });
	cr_assert_eq(r.status, 0, "mkpst %s: %s", name, r.err);
	tu_run_free(&r);
	free(ics);
	free(all);
	free(text);
	free(in);
	free(dir);
}

/* What an ANSI file should hold for a UTF-16LE value: Windows-1252,
 * '?' for what it lacks (one per code point), controls kept. */
static char *
to_cp1252(const uint8_t *u, size_t len, size_t *outlen)
{
	char *out = calloc(1, len / 2 + 1);
	size_t i, o = 0;
	unsigned c;
	int b;

	for (i = 0; i + 1 < len; i += 2) {
		c = u[i] | u[i + 1] << 8;
		if (c >= 0xDC00 && c < 0xE000 && o > 0 && out[o - 1] == '?')
			continue;	/* the pair's low half */
		b = c >= 0xD800 && c < 0xE000 ? -1 : text_cp1252_from_cp(c);
		out[o++] = b < 0 ? '?' : (char)b;
	}
	*outlen = o;
	return out;
}

static void
expect_same_value(const struct tprop *a, const struct tprop *b, int ansi,
    const char *ctx)
{
	uint32_t n, i, o1, e1, o2, e2;
	size_t len;
	char *want;

	if (ansi && a->type == 0x001F) {
		cr_expect_eq(b->type, 0x001E, "%s 0x%04X: type 0x%04X", ctx,
		    a->tag, b->type);
		want = to_cp1252(a->data, a->len, &len);
		cr_expect(b->len == len && memcmp(b->data, want, len) == 0,
		    "%s 0x%04X: \"%.*s\" for \"%s\"", ctx, a->tag,
		    (int)b->len, (char *)b->data, want);
		free(want);
		return;
	}
	if (ansi && a->type == 0x101F) {
		cr_expect_eq(b->type, 0x101E, "%s 0x%04X", ctx, a->tag);
		cr_assert_geq(a->len, 4);
		cr_assert_geq(b->len, 4);
		n = le_get32(a->data);
		cr_assert_eq(le_get32(b->data), n, "%s 0x%04X", ctx, a->tag);
		for (i = 0; i < n; i++) {
			o1 = le_get32(a->data + 4 + 4 * i);
			e1 = i + 1 < n ? le_get32(a->data + 8 + 4 * i) : a->len;
			o2 = le_get32(b->data + 4 + 4 * i);
			e2 = i + 1 < n ? le_get32(b->data + 8 + 4 * i) : b->len;
			cr_assert(o1 <= e1 && e1 <= a->len && o2 <= e2 &&
			    e2 <= b->len);
			want = to_cp1252(a->data + o1, e1 - o1, &len);
			cr_expect(e2 - o2 == len && memcmp(b->data + o2, want,
			    len) == 0, "%s 0x%04X[%u]", ctx, a->tag, i);
			free(want);
		}
		return;
	}
	cr_expect_eq(b->type, a->type, "%s 0x%04X: type 0x%04X, want 0x%04X",
	    ctx, a->tag, b->type, a->type);
	/* An embedded message's {NID, size}: 8-bit strings are smaller. */
	if (ansi && a->type == 0x000D) {
		cr_expect(b->len == a->len && a->len >= 4 &&
		    memcmp(b->data, a->data, 4) == 0, "%s 0x%04X", ctx, a->tag);
		return;
	}
	cr_expect(b->len == a->len && memcmp(b->data, a->data, a->len) == 0,
	    "%s 0x%04X: value differs", ctx, a->tag);
}

static void
expect_same_set(const struct tset *a, const struct tset *b, int ansi,
    const char *ctx)
{
	size_t i;

	cr_assert_eq(b->n, a->n, "%s: %zu properties, want %zu", ctx, b->n,
	    a->n);
	for (i = 0; i < a->n; i++) {
		cr_assert_eq(b->v[i].tag, a->v[i].tag, "%s: #%zu", ctx, i);
		cr_expect_eq(b->v[i].named, a->v[i].named, "%s 0x%04X", ctx,
		    a->v[i].tag);
		cr_expect_eq(b->v[i].lid, a->v[i].lid);
		cr_expect_eq(memcmp(b->v[i].guid, a->v[i].guid, 16), 0);
		if (a->v[i].name != NULL)
			cr_expect_str_eq(b->v[i].name, a->v[i].name);
		expect_same_value(&a->v[i], &b->v[i], ansi, ctx);
	}
}

static void
expect_same_msg(const struct tmsg *a, const struct tmsg *b, int ansi,
    const char *ctx)
{
	size_t i;

	cr_expect_str_eq(b->folder, a->folder, "%s", ctx);
	cr_expect((a->fclass == NULL) == (b->fclass == NULL), "%s", ctx);
	expect_same_set(&a->props, &b->props, ansi, ctx);
	cr_assert_eq(b->nrcpts, a->nrcpts, "%s: recipients", ctx);
	for (i = 0; i < a->nrcpts; i++)
		expect_same_set(&a->rcpts[i], &b->rcpts[i], ansi, ctx);
	cr_assert_eq(b->natts, a->natts, "%s: attachments", ctx);
	for (i = 0; i < a->natts; i++) {
		expect_same_set(&a->atts[i], &b->atts[i], ansi, ctx);
		cr_assert_eq(b->embs[i] == NULL, a->embs[i] == NULL);
		if (a->embs[i] != NULL)
			expect_same_msg(a->embs[i], b->embs[i], ansi, ctx);
	}
}

static void
synth_form(const char *out, const char *f1, const char *f2)
{
	const char *mkpst = tu_env("MKPST");
	char *argv[16];
	struct tu_run r;
	int n = 0;

	if (mkpst == NULL)
		cr_skip_test("MKPST not set");
	argv[n++] = (char *)mkpst;
	argv[n++] = (char *)"--synth=60";
	argv[n++] = (char *)"--seed=9";
	argv[n++] = (char *)"--mails=5";
	argv[n++] = (char *)"--attach-bytes=3000";
	argv[n++] = (char *)"--body-bytes=12000";
	if (f1 != NULL)
		argv[n++] = (char *)f1;
	if (f2 != NULL)
		argv[n++] = (char *)f2;
	argv[n++] = (char *)"-o";
	argv[n++] = (char *)out;
	argv[n] = NULL;
	tu_run(&r, NULL, argv);
	cr_assert_eq(r.status, 0, "mkpst --synth %s: %s", f1, r.err);
	tu_run_free(&r);
}

ParameterizedTestParameters(mkpst, forms_read_the_same)
{
	return cr_make_param_array(struct form, forms,
	    sizeof forms / sizeof forms[0]);
}

/* Every fixture in every form: libpff reads the same messages and
 * values (8-bit strings in ANSI files), pffinfo opens it, readpst finds
 * the same events. */
ParameterizedTest(const struct form *fm, mkpst, forms_read_the_same)
{
	char *dir = tu_tmpdir(), *ref = tu_path(dir, "ref.pst");
	char *out = tu_path(dir, "form.pst"), *rdir, *fdir, *t1, *t2, ctx[96];
	struct tpst a, b;
	size_t i, k;

	for (k = 0; k < sizeof all_fixtures / sizeof all_fixtures[0]; k++) {
		tu_mkpst(all_fixtures[k], ref);
		mkpst_form(all_fixtures[k], fm->lines, out);
		load(ref, &a);
		load(out, &b);
		cr_assert_eq(b.n, a.n, "%s %s: %zu messages, want %zu",
		    fm->name, all_fixtures[k], b.n, a.n);
		cr_assert_gt(a.n, 0);
		for (i = 0; i < a.n; i++) {
			snprintf(ctx, sizeof ctx, "%s %s #%zu", fm->name,
			    all_fixtures[k], i);
			expect_same_msg(a.v[i], b.v[i], fm->ansi, ctx);
		}
		tpst_free(&a);
		tpst_free(&b);
		pffinfo_ok(out);
		/* readpst 0.6.76 exits 11 on the deliberately broken blobs. */
		if (strncmp(all_fixtures[k], "bad-", 4) == 0)
			continue;
		rdir = tu_path(dir, "r");
		fdir = tu_path(dir, "f");
		cr_assert_eq(mkdir(rdir, 0700), 0);
		cr_assert_eq(mkdir(fdir, 0700), 0);
		t1 = readpst_text(ref, rdir);
		t2 = readpst_text(out, fdir);
		/* A few times on loaded machines (ANSI+cyclic and Unicode
		 * permute files; never reproduced by hand, nor under
		 * valgrind) readpst 0.6.76 wrote fewer VEVENTs than on the
		 * next run of the same bytes: a mismatch is read once more
		 * before it counts. */
		if (tu_count(t2, "BEGIN:VEVENT") !=
		    tu_count(t1, "BEGIN:VEVENT")) {
			free(t1);
			free(t2);
			tu_rmdir(rdir);
			tu_rmdir(fdir);
			cr_assert_eq(mkdir(rdir, 0700), 0);
			cr_assert_eq(mkdir(fdir, 0700), 0);
			t1 = readpst_text(ref, rdir);
			t2 = readpst_text(out, fdir);
		}
		cr_expect_eq(tu_count(t2, "BEGIN:VEVENT"),
		    tu_count(t1, "BEGIN:VEVENT"), "%s %s", fm->name,
		    all_fixtures[k]);
		/* On our ANSI files readpst 0.6.76 wrote the same VEVENTs
		 * but not always the same SUMMARY lines from run to run
		 * (no PidTagMessageCodepage is written; cause not yet
		 * pinned down); the subjects themselves are compared
		 * value for value with libpff's above. */
		if (!fm->ansi)
			cr_expect_eq(tu_count(t2, "\nSUMMARY:"),
			    tu_count(t1, "\nSUMMARY:"), "%s %s", fm->name,
			    all_fixtures[k]);
		free(t1);
		free(t2);
		tu_rmdir(rdir);
		tu_rmdir(fdir);
		free(rdir);
		free(fdir);
	}
	/* mkpst --synth with the form's flags. */
	synth_form(ref, NULL, NULL);
	synth_form(out, fm->flags[0], fm->flags[1][0] != '\0' ?
	    fm->flags[1] : NULL);
	load(ref, &a);
	load(out, &b);
	cr_assert_eq(b.n, a.n);
	cr_assert_eq(a.n, 60 + 5);
	for (i = 0; i < a.n; i++) {
		snprintf(ctx, sizeof ctx, "%s synth #%zu", fm->name, i);
		expect_same_msg(a.v[i], b.v[i], fm->ansi, ctx);
	}
	tpst_free(&a);
	tpst_free(&b);
	pffinfo_ok(out);
	free(ref);
	free(out);
	tu_rmdir(dir);
	free(dir);
}

/* ---- forms big enough for every data and subnode tree ---------------- */

struct sbuf {
	char	*s;
	size_t	 len;
};

static void
sb_add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	char *t;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&t, fmt, ap);
	va_end(ap);
	cr_assert_geq(n, 0);
	b->s = realloc(b->s, b->len + n + 1);
	memcpy(b->s + b->len, t, n + 1);
	b->len += n;
	free(t);
}

#define BIG_BODY	(100 * 1024)
#define BIG_FILLERS	150
#define BIG_PROPS	24

/* A body of BIG_BODY bytes, a heap of BIG_PROPS * 2000 bytes of binary
 * values, nattach generated attachments and 120 attendees, beside
 * BIG_FILLERS small events. */
static char *
big_fixture(const char *form, int nattach, char **body)
{
	struct sbuf b = { NULL, 0 };
	size_t i, k;

	*body = malloc(BIG_BODY + 1);
	for (i = 0; i < BIG_BODY; i++)
		(*body)[i] = 'a' + (i * 7 + i / 26) % 26;
	(*body)[BIG_BODY] = '\0';
	sb_add(&b, "BEGIN:VCALENDAR\nVERSION:2.0\n%s", form);
	sb_add(&b, "BEGIN:VEVENT\nUID:big-1\nSUMMARY:Big body\n"
	    "DTSTART:20240105T100000Z\nDTEND:20240105T110000Z\n"
	    "ORGANIZER;CN=Olga:mailto:olga@example.com\n"
	    "DESCRIPTION:%s\nX-PST-ATTACH-COUNT:%d\n", *body, nattach);
	for (i = 0; i < 120; i++)
		sb_add(&b, "ATTENDEE;CN=Person "
		    "%03zu:mailto:p%03zu@example.com\n",
		    i, i);
	for (i = 0; i < BIG_PROPS; i++) {
		sb_add(&b, "X-PST-PROP:0x%04zX:BINARY:", 0x6750 + i);
		for (k = 0; k < 2000; k++)
			sb_add(&b, "%02X", (unsigned)((i + k) & 0xFF));
		sb_add(&b, "\n");
	}
	sb_add(&b, "END:VEVENT\n");
	for (i = 0; i < BIG_FILLERS; i++)
		sb_add(&b, "BEGIN:VEVENT\nUID:filler-%zu\nSUMMARY:Filler "
		    "%03zu\n"
		    "DTSTART:20240201T%02zu%02zu00Z\nDTEND:20240201T235900Z\n"
		    "END:VEVENT\n", i, i, i / 60 % 24, i % 60);
	sb_add(&b, "END:VCALENDAR\n");
	return b.s;
}

static void
expect_big(const char *form, int nattach, int ansi)
{
	char *dir = tu_tmpdir(), *body, *text, *pst, *got, name[32];
	const struct tprop *p;
	struct tpst t;
	struct tmsg *m;
	uint8_t data[300];
	size_t i, k;
	int n;

	text = big_fixture(form, nattach, &body);
	pst = tu_mkpst_text(dir, text, strlen(text));
	load(pst, &t);
	cr_assert_eq(t.n, 1 + BIG_FILLERS);
	m = by_subject(&t, "Big body", 0);
	p = get_tag(&m->props, 0x1000);
	cr_assert_not_null(p);
	cr_expect_eq(p->type, ansi ? 0x001E : 0x001F);
	got = utf16_str(p);
	cr_expect_eq(strlen(got), BIG_BODY);
	cr_expect_str_eq(got, body);
	free(got);
	for (i = 0; i < BIG_PROPS; i++) {
		p = get_tag(&m->props, 0x6750 + i);
		cr_assert_not_null(p, "0x%04zX", 0x6750 + i);
		cr_assert_eq(p->len, 2000);
		for (k = 0; k < 2000; k++)
			cr_assert_eq(p->data[k], (uint8_t)(i + k));
	}
	cr_assert_eq(m->natts, (size_t)nattach);
	for (i = 0; i < m->natts; i++) {
		snprintf(name, sizeof name, "gen%05zu.bin", i + 1);
		expect_str(&m->atts[i], 0x3707, name);
		for (k = 0; k < sizeof data; k++)
			data[k] = (uint8_t)((i + 1) * 31 + k);
		p = get_tag(&m->atts[i], 0x3701);
		cr_assert_not_null(p, "%s", name);
		cr_assert_eq(p->len, sizeof data, "%s", name);
		cr_assert_eq(memcmp(p->data, data, sizeof data), 0, "%s", name);
	}
	/* The organizer's row and 120 attendees. */
	cr_expect_eq(m->nrcpts, 121);
	rcpt(m, "p000@example.com");
	rcpt(m, "p119@example.com");
	for (i = 0, n = 0; i < t.n; i++) {
		/* PR_SUBJECT keeps its "\1\1" prefix marker. */
		got = set_str(&t.v[i]->props, 0x0037);
		cr_assert_not_null(got);
		cr_assert_eq(strncmp(got, "\1\1", 2), 0);
		n += strncmp(got + 2, "Filler ", 7) == 0;
		cr_expect(strncmp(got + 2, "Filler ", 7) == 0 ||
		    strcmp(got + 2, "Big body") == 0, "subject \"%s\"", got);
		free(got);
	}
	cr_expect_eq(n, BIG_FILLERS);
	tpst_free(&t);

	pffinfo_ok(pst);
	text = (free(text), readpst_text(pst, dir));
	cr_expect_eq(tu_count(text, "BEGIN:VEVENT"), 1 + BIG_FILLERS);
	cr_expect_eq(tu_count(text, "SUMMARY:Big body\n"), 1);
	cr_expect_eq(tu_count(text, "SUMMARY:Filler 000\n"), 1);
	cr_expect_eq(tu_count(text, "SUMMARY:Filler 149\n"), 1);
	free(text);
	free(body);
	free(pst);
	tu_rmdir(dir);
	free(dir);
}

/* 100 KB body (an XBLOCK), a PC heap of seven blocks (an XBLOCK), a
 * recipient table and a contents table over several blocks, 300
 * attachments; ANSI and cyclic. */
Test(mkpst, big_ansi_cyclic)
{
	expect_big("X-PST-FORMAT:ANSI\nX-PST-CRYPT:CYCLIC\n", 300, 1);
}

/* 400 attachments: more subnodes than one Unicode SLBLOCK holds (340),
 * so an SIBLOCK; permute. */
Test(mkpst, big_unicode_permute_siblock)
{
	expect_big("X-PST-CRYPT:PERMUTE\n", 400, 0);
}

/* 700 attachments: past an ANSI SLBLOCK's 681 entries. */
Test(mkpst, big_ansi_siblock)
{
	expect_big("X-PST-FORMAT:ANSI\n", 700, 1);
}

/* Form flags: a bad encoding, or a flag where the text decides. */
Test(mkpst, form_flag_errors)
{
	const char *mkpst = tu_env("MKPST");
	char *dir = tu_tmpdir(), *out = tu_path(dir, "x.pst");
	char *ics = tu_path(dir, "x.ics");
	struct tu_run r;

	if (mkpst == NULL)
		cr_skip_test("MKPST not set");
	tu_run(&r, NULL, (char *const[]){ (char *)mkpst, (char *)"--synth=1",
	    (char *)"--crypt=rot13", (char *)"-o", out, NULL });
	cr_expect_eq(r.status, 64);
	cr_expect_not_null(strstr(r.err, "--crypt"), "%s", r.err);
	tu_run_free(&r);
	tu_spit(ics, "BEGIN:VCALENDAR\nEND:VCALENDAR\n", 30);
	tu_run(&r, NULL, (char *const[]){ (char *)mkpst, (char *)"--ansi",
	    (char *)"-o", out, ics, NULL });
	cr_expect_eq(r.status, 64);
	cr_expect_not_null(strstr(r.err, "X-PST-FORMAT"), "%s", r.err);
	tu_run_free(&r);
	free(ics);
	free(out);
	tu_rmdir(dir);
	free(dir);
}
