/* test_model.c: the model's lifetimes, blobs and content spool. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "ft.h"
#include "model.h"
#include "text.h"
#include "xmalloc.h"

Test(model, new_item_has_everything_absent)
{
	struct appt *a = appt_new();

	cr_assert_eq(a->start, APPT_NOTIME);
	cr_assert_eq(a->end, APPT_NOTIME);
	cr_assert_eq(a->busy, APPT_ABSENT);
	cr_assert_eq(a->all_day, APPT_ABSENT);
	cr_assert_null(a->subject);
	cr_assert_null(a->goid.data);
	appt_free(a);
	appt_free(NULL);
}

Test(model, list_owns_items)
{
	struct appt_list l;
	size_t i;

	appt_list_init(&l);
	for (i = 0; i < 1000; i++) {
		struct appt *a = appt_new();

		a->subject = xstrdup("x");
		a->nexcs = 1;
		a->excs = xcalloc(1, sizeof *a->excs);
		a->excs[0].item = appt_new();
		a->excs[0].item->body = xstrdup("exception body");
		appt_list_push(&l, a);
	}
	cr_assert_eq(l.n, 1000);
	cr_assert_str_eq(l.v[999]->subject, "x");
	appt_list_free(&l);
	cr_assert_eq(l.n, 0);
	cr_assert_null(l.v);
}

Test(model, blobs_compare_by_content)
{
	struct appt_blob a = { 0 }, b = { 0 };

	cr_assert(appt_blob_eq(&a, &b));
	appt_blob_set(&a, "\x04\x00\x00", 3);
	cr_assert_not(appt_blob_eq(&a, &b));
	appt_blob_set(&b, "\x04\x00\x00", 3);
	cr_assert(appt_blob_eq(&a, &b));
	appt_blob_set(&b, "\x04\x00\x01", 3);
	cr_assert_not(appt_blob_eq(&a, &b));
	appt_blob_clear(&a);
	appt_blob_clear(&b);
}

static void
add_attach(struct appt *a, const void *p, size_t len)
{
	a->attachs = xreallocarray(a->attachs, a->nattach + 1,
	    sizeof *a->attachs);
	memset(&a->attachs[a->nattach], 0, sizeof *a->attachs);
	appt_blob_set(&a->attachs[a->nattach++].data, p, len);
}

/* Content leaves memory and comes back byte for byte, exceptions too;
 * an empty body stays "present but empty". */
Test(model, content_spool_round_trip)
{
	static const uint8_t	 rtf[] = { 0x51, 0, 0, 0, 0, 0x7B, 0x5C };
	struct appt		*a, *x;
	char			*cause = NULL;
	int			 round;
	FILE			*fp;

	a = appt_new();
	a->body = xstrdup("Agenda:\r\n1. \xC3\xA9t\xC3\xA9");
	a->html = xstrdup("<p>Agenda</p>");
	appt_blob_set(&a->rtf, rtf, sizeof rtf);
	add_attach(a, "\0\1\2\3", 4);
	add_attach(a, "", 0);
	a->excs = xcalloc(1, sizeof *a->excs);
	a->nexcs = 1;
	a->excs[0].item = x = appt_new();
	x->body = xstrdup("");
	add_attach(x, "moved", 5);
	cr_assert(appt_has_body(a));
	cr_assert(!appt_has_body(x));

	cr_assert_not_null(fp = tmpfile());
	fputs("bytes before", fp);
	cr_assert_eq(appt_spool(a, fp, &cause), 0, "%s", cause);
	cr_assert(a->spooled && x->spooled);
	cr_assert_null(a->body);
	cr_assert_null(a->html);
	cr_assert_null(a->rtf.data);
	cr_assert_null(a->attachs[0].data.data);
	cr_assert_eq(a->attachs[0].data.len, 4);
	cr_assert_null(x->body);
	cr_assert_null(x->attachs[0].data.data);
	cr_assert(appt_has_body(a));
	cr_assert(!appt_has_body(x));

	for (round = 0; round < 2; round++) {
		cr_assert_eq(appt_unspool(a, fp, &cause), 0, "%s", cause);
		cr_assert_str_eq(a->body, "Agenda:\r\n1. \xC3\xA9t\xC3\xA9");
		cr_assert_str_eq(a->html, "<p>Agenda</p>");
		cr_assert_eq(a->rtf.len, sizeof rtf);
		cr_assert_eq(memcmp(a->rtf.data, rtf, sizeof rtf), 0);
		cr_assert_eq(memcmp(a->attachs[0].data.data, "\0\1\2\3", 4),
		    0);
		cr_assert_not_null(a->attachs[1].data.data);
		cr_assert_eq(a->attachs[1].data.len, 0);
		cr_assert_str_eq(x->body, "");
		cr_assert_eq(memcmp(x->attachs[0].data.data, "moved", 5), 0);
		appt_respool(a);
		cr_assert_null(a->body);
		cr_assert_null(x->attachs[0].data.data);
	}
	fclose(fp);
	appt_free(a);
}

/* A spool that cannot take the bytes says so when they are needed. */
Test(model, content_spool_full_disk)
{
	struct appt	*a;
	char		*cause = NULL;
	FILE		*fp;

	a = appt_new();
	a->body = xstrdup("minutes");
	cr_assert_not_null(fp = fopen("/dev/full", "w+"));
	cr_assert_eq(appt_spool(a, fp, &cause), 0, "%s", cause);
	cr_assert_eq(appt_unspool(a, fp, &cause), -1);
	cr_assert_str_eq(cause, "cannot write the scratch file: No space "
	    "left on device");
	cr_assert_null(a->body);
	free(cause);
	fclose(fp);
	appt_free(a);
}
