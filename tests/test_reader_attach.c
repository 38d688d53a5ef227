/* test_reader_attach.c: attachments read from generated fixtures
 * and from the corpus, in memory and spooled. */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "ft.h"
#include "pstwrite.h"
#include "reader.h"
#include "writer.h"
#include "testutil.h"
#include "reader_util.h"
#include "xmalloc.h"

/* ---- Ordinary attachments ---- */

static const struct appt_attach *
find_attach(const struct appt *a, const char *name)
{
	size_t i;

	cr_assert_not_null(a->attachs);
	for (i = 0; i < a->nattach; i++)
		if (a->attachs[i].name != NULL &&
		    strcmp(a->attachs[i].name, name) == 0)
			return &a->attachs[i];
	cr_assert_fail("no attachment \"%s\"", name);
	return NULL;
}

/* Names by precedence, MIME type, exact bytes (a binary file, 1 MB
 * through a data tree, an empty one), an embedded mail named by its
 * subject, and an exception's own attachment. */
/* The bytes of an attachment as the writer gets them: from the spool
 * once appt_unspool() has brought its item back. */
static void
expect_bytes(const struct appt_attach *x, FILE *spool, const void *want,
    size_t len)
{
	cr_assert_eq(x->data.len, len);
	cr_assert_eq(x->spooled, spool != NULL);
	cr_assert_not_null(x->data.data);
	cr_expect_eq(memcmp(x->data.data, want, len), 0);
}

static void
expect_out_of_memory(const struct appt *a)
{
	size_t j;

	for (j = 0; j < a->nattach; j++)
		cr_assert_null(a->attachs[j].data.data);
}

static void
attachments_case(FILE *spool)
{
	struct reader_opts o = { 0 };
	struct reader_result r;
	struct pstw_msg *m, *e;
	struct pstw_attach *at;
	struct pstw_props *p;
	const struct appt_attach *x;
	struct fix fx;
	struct appt *a;
	int64_t t = tu_ft(2024, 9, 2, 9, 0), hour = 3600 * FT_SEC;
	uint8_t pdf[600], *big;
	uint32_t v = 2463534242u;
	size_t i, nbig = 1 << 20;
	char *cause = NULL;

	memcpy(pdf, "%PDF-1.4\n", 9);
	for (i = 9; i < sizeof pdf; i++)
		pdf[i] = (uint8_t)(i * 13);
	big = xmalloc(nbig);
	for (i = 0; i < nbig; i++) {
		v ^= v << 13;
		v ^= v >> 17;
		v ^= v << 5;
		big[i] = (uint8_t)v;
	}
	fix_open(&fx);
	fix_names(&fx);
	m = fix_appt(&fx, "review", t, t + hour);
	at = pstw_msg_attach(m);
	p = pstw_attach_props(at);
	pstw_set_str(p, 0x3707, "Agenda Q3.pdf");
	pstw_set_str(p, 0x3704, "AGENDA~1.PDF");
	pstw_set_str(p, 0x3001, "Agenda");
	pstw_set_str(p, 0x370E, "application/pdf");
	pstw_attach_data(at, pdf, sizeof pdf);
	at = pstw_msg_attach(m);
	p = pstw_attach_props(at);
	pstw_set_str(p, 0x3707, "");
	pstw_set_str(p, 0x3704, "NOTES.TXT");
	pstw_attach_data(at, "line 1\r\nline 2", 14);
	at = pstw_msg_attach(m);
	pstw_set_str(pstw_attach_props(at), 0x3001, "Display only");
	pstw_attach_data(at, "", 0);
	at = pstw_msg_attach(m);
	pstw_set_str(pstw_attach_props(at), 0x3707, "scan.tif");
	pstw_attach_data(at, big, nbig);
	at = pstw_msg_attach(m);
	e = pstw_attach_embed(at, "IPM.Note");
	pstw_set_str(pstw_msg_props(e), 0x0037, "Fwd: minutes");
	fix_write(&fx, fx.cal, m);

	/* A series whose exception has an attachment of its own. */
	m = fix_appt(&fx, "series", t, t + hour);
	at = pstw_msg_attach(m);
	pstw_set_bool(pstw_attach_props(at), 0x7FFE, 1);
	e = pstw_attach_embed(at,
	    "IPM.OLE.CLASS.{00061055-0000-0000-C000-000000000046}");
	p = pstw_msg_props(e);
	pstw_set_time(p, fx.start, t + 24 * hour);
	pstw_set_time(p, fx.end, t + 25 * hour);
	pstw_set_time(p, fx.replace, t + 24 * hour);
	at = pstw_msg_attach(e);
	pstw_set_str(pstw_attach_props(at), 0x3707, "moved.txt");
	pstw_attach_data(at, "moved", 5);
	fix_write(&fx, fx.cal, m);
	o.spool = spool;
	fix_read(&fx, &o, &r);
	/* Spooled, nothing of the content is left in memory. */
	for (i = 0; spool != NULL && i < r.appts.n; i++) {
		a = r.appts.v[i];
		cr_assert(a->spooled);
		expect_out_of_memory(a);
		if (a->nexcs > 0)
			expect_out_of_memory(a->excs[0].item);
		cr_assert_eq(appt_unspool(a, spool, &cause), 0, "%s", cause);
	}

	cr_assert_eq(r.appts.n, 2);
	cr_expect_eq(r.nskips, 0, "%s", r.nskips ? r.skips[0].reason : "");
	a = find(&r, "review");
	cr_assert_eq(a->nattach, 5);
	x = find_attach(a, "Agenda Q3.pdf");
	cr_expect_str_eq(x->mime, "application/pdf");
	cr_expect_eq(x->embedded, 0);
	expect_bytes(x, spool, pdf, sizeof pdf);
	x = find_attach(a, "NOTES.TXT");
	cr_expect_null(x->mime);
	expect_bytes(x, spool, "line 1\r\nline 2", 14);
	x = find_attach(a, "Display only");
	cr_expect_eq(x->data.len, 0);
	cr_expect(spool != NULL ? x->spooled : x->data.data != NULL);
	x = find_attach(a, "scan.tif");
	expect_bytes(x, spool, big, nbig);
	x = find_attach(a, "Fwd: minutes");
	cr_expect_eq(x->embedded, 1);
	cr_expect_null(x->data.data);
	cr_expect_eq(x->spooled, 0);

	a = find(&r, "series");
	cr_expect_eq(a->nattach, 0);
	cr_expect_null(a->attachs);
	cr_assert_eq(a->nexcs, 1);
	x = find_attach(a->excs[0].item, "moved.txt");
	expect_bytes(x, spool, "moved", 5);
	reader_result_free(&r);
	free(big);
}

Test(reader_gen, attachments)
{
	attachments_case(NULL);
}

/* The same bytes when they wait in a spool instead of memory. */
Test(reader_gen, attachments_spooled)
{
	FILE *spool;

	cr_assert_not_null(spool = tmpfile());
	attachments_case(spool);
	fclose(spool);
}

/* An attachment libpff cannot open costs only itself. */
static int warned;

static void
count_unread(void *arg, const struct appt *a, const char *msg)
{
	(void)arg;
	(void)a;
	cr_expect_not_null(strstr(msg, "\"lost.msg\" unreadable"), "%s",
	    msg);
	warned++;
}

Test(reader_gen, unreadable_attachment)
{
	struct reader_opts o = { 0 };
	struct writer_opts wo = { .warn = count_unread };
	struct reader_result r;
	struct pstw_msg *m;
	struct pstw_attach *at;
	struct pstw_props *p;
	char *cause = NULL;
	struct fix fx;
	struct appt *a;
	int64_t t = tu_ft(2024, 9, 3, 9, 0);
	/* A PtypObject value naming a subnode that does not exist. */
	const uint8_t obj[8] = { 0x24, 0x7F, 0, 0, 0x10, 0, 0, 0 };

	fix_open(&fx);
	fix_names(&fx);
	m = fix_appt(&fx, "planning", t, t + 1);
	at = pstw_msg_attach(m);
	p = pstw_attach_props(at);
	pstw_set_str(p, 0x3707, "lost.msg");
	pstw_set_i4(p, 0x3705, 5);
	pstw_set_raw(p, 0x3701, 0x000D, obj, sizeof obj);
	at = pstw_msg_attach(m);
	pstw_set_str(pstw_attach_props(at), 0x3707, "kept.txt");
	pstw_attach_data(at, "kept", 4);
	fix_write(&fx, fx.cal, m);
	a = fix_read_one(&fx, &o, &r);
	cr_expect_eq(r.nskips, 0);
	cr_assert_eq(a->nattach, 2);
	cr_expect_str_eq(a->attachs[0].name, "lost.msg");
	cr_assert_not_null(a->attachs[0].unread);
	cr_expect_not_null(strstr(a->attachs[0].unread,
	    "attachment 1 \"lost.msg\" unreadable, left out: "), "%s",
	    a->attachs[0].unread);
	cr_expect_null(a->attachs[0].data.data);
	cr_expect_str_eq(a->attachs[1].name, "kept.txt");
	cr_expect_null(a->attachs[1].unread);
	/* The writer says so once, and writes the readable one. */
	warned = 0;
	cr_assert_eq(writer_render(r.appts.v, 1, &wo, NULL, &cause), 0);
	cr_expect_eq(warned, 1);
	reader_result_free(&r);
}

/* Real data: the Outlook.com meeting's three files, as pffexport
 * extracts them (sizes, first and last bytes, the whole text file). */
Test(reader_corpus, ost_attachments)
{
	struct reader_opts o = { 0 };
	struct reader_result r;
	const struct appt_attach *x;
	struct appt *a;

	read_ok("pst-extractor__pstextractortest@outlook.com.ost", &o, &r);
	cr_expect_eq(r.nskips, 0);
	a = find(&r, "meeting with attachments (jpg, pdf, text)");
	cr_assert_eq(a->nattach, 3);
	x = find_attach(a, "primoz-roglic-of-slovenia-and-team-jumbo-visma-red-"
	    "leader-news-photo-162....jpg");
	cr_assert_eq(x->data.len, 79653);
	cr_expect_eq(memcmp(x->data.data, "\xFF\xD8\xFF\xE0", 4), 0);
	x = find_attach(a, "Clinometer Usage.pdf");
	cr_assert_eq(x->data.len, 87069);
	cr_expect_eq(memcmp(x->data.data, "%PDF-1.3\r", 9), 0);
	cr_expect_eq(memcmp(x->data.data + x->data.len - 7, "\r%%EOF\r", 7),
	    0);
	x = find_attach(a, "text.txt");
	cr_assert_eq(x->data.len, 18);
	cr_expect_eq(memcmp(x->data.data, "this is a text doc", 18), 0);
	cr_expect_eq(x->embedded, 0);
	reader_result_free(&r);
}

Test(reader_mkpst, attachments)
{
	static const char agenda[] = "1. Budget\n2. Caf\xC3\xA9 prices "
	    "\xE2\x80\x93 5 \xE2\x82\xAC\n3. AOB";
	struct reader_opts o = { 0 };
	struct reader_result r;
	const struct appt_attach *x;
	struct appt *a;
	size_t i;

	mkpst_read("attachments.ics", &o, &r);
	cr_expect_eq(r.nskips, 0);
	cr_assert_eq(r.appts.n, 5);
	/* An OLE object's bytes come from its subnode (PtypObject). */
	a = find(&r, "Whiteboard session");
	cr_assert_eq(a->nattach, 1);
	x = find_attach(a, "Picture (Device Independent Bitmap)");
	cr_expect_eq(x->embedded, 0);
	cr_assert_eq(x->data.len, 29);
	cr_expect_eq(memcmp(x->data.data, "OLE storage bytes\nsecond line",
	    29), 0);
	a = find(&r, "Budget review");
	cr_assert_eq(a->nattach, 1);
	x = find_attach(a, "Agenda Q3 (draft).txt");
	cr_expect_eq(x->embedded, 0);
	cr_assert_eq(x->data.len, sizeof agenda - 1);
	cr_expect_eq(memcmp(x->data.data, agenda, x->data.len), 0);
	for (i = 0; i < r.appts.n; i++) {
		a = r.appts.v[i];
		if (strcmp(a->subject, "Design sync") != 0)
			continue;
		x = find_attach(a, "spec.txt");
		cr_assert_eq(x->data.len, 19);
		cr_expect_eq(memcmp(x->data.data, "Section 1\nSection 2", 19),
		    0);
	}
	a = find(&r, "Project stand-up");
	cr_expect_eq(a->nattach, 1);
	cr_assert_eq(a->nexcs, 1);
	cr_expect_eq(a->excs[0].item->nattach, 0);
	reader_result_free(&r);
}

/* mkpst stores a zoned item's zone as start and as end, as Outlook
 * does; the model keeps the start one only. */
Test(reader_mkpst, end_zone_kept_once)
{
	struct reader_opts o = { 0 };
	struct reader_result r;
	const struct appt *a;

	mkpst_read("singles.ics", &o, &r);
	a = find(&r, "Quarterly planning (Berlin office)");
	cr_assert_not_null(a->tzdef_start.data);
	cr_expect_null(a->tzdef_end.data);
	reader_result_free(&r);
}
