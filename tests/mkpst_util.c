/* mkpst_util.c: helpers shared by the mkpst test programs
 * (test_mkpst*.c), moved out of test_mkpst.c. */
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
#include "mkpst_util.h"
#include "text.h"
#include "tz.h"
const uint8_t ps_meeting[16] = {
	0x90, 0xDA, 0xD8, 0x6E, 0x0B, 0x45, 0x1B, 0x10,
	0x98, 0xDA, 0x00, 0xAA, 0x00, 0x3F, 0x13, 0x05
};

void
set_free(struct tset *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].name);
		free(s->v[i].data);
	}
	free(s->v);
}

void
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

void
tpst_free(struct tpst *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		msg_free(t->v[i]);
	free(t->v);
}


void
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

void
read_item_props(libpff_item_t *item, struct tset *s)
{
	libpff_record_set_t *rs = NULL;

	cr_assert_eq(libpff_item_get_record_set_by_index(item, 0, &rs, NULL),
	    1);
	read_set(rs, s);
	libpff_record_set_free(&rs, NULL);
}

struct tmsg *
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

void
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

void
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

/* Free what build() made, its directory removed. */
void
built_free(struct tpst *t, char *out, char *dir)
{
	tpst_free(t);
	free(out);
	tu_rmdir(dir);
	free(dir);
}

const struct tprop *
get_tag(const struct tset *s, uint32_t tag)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!s->v[i].named && (s->v[i].tag & 0xFFFF) ==
		    (tag & 0xFFFF))
			return &s->v[i];
	return NULL;
}

const struct tprop *
get_lid(const struct tset *s, const uint8_t guid[16], uint32_t lid)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].named == 'n' && s->v[i].lid == lid &&
		    memcmp(s->v[i].guid, guid, 16) == 0)
			return &s->v[i];
	return NULL;
}

/* UTF-16LE value -> ASCII/UTF-8 (BMP only, enough for the tests). */
char *
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

char *
set_str(const struct tset *s, uint32_t tag)
{
	const struct tprop *p = get_tag(s, tag);

	return p != NULL ? utf16_str(p) : NULL;
}

struct tmsg *
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

void
expect_str(const struct tset *s, uint32_t tag, const char *want)
{
	char *got = set_str(s, tag);

	cr_assert_not_null(got, "tag 0x%04X missing", tag);
	cr_expect_str_eq(got, want, "tag 0x%04X", tag);
	free(got);
}

/* A recipient row by SMTP address. */
const struct tset *
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

/* ---- readpst and pffinfo -------------------------------------------- */

/* All of readpst's calendar output for a PST, concatenated. */
char *
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

void
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
