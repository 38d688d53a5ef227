/* test_pack.c: a packed item reads as it did before, shares what the
 * pool holds once, and frees cleanly (ASan). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "pack.h"
#include "reader.h"
#include "testutil.h"
#include "xmalloc.h"

static void
blob(struct appt_blob *b, const char *s)
{
	appt_blob_set(b, s, strlen(s));
}

/* An item with every kind of pointer pack.c moves. */
static struct appt *
full_item(const char *subject, FILE *spool)
{
	struct appt	*a = appt_new(), *x;
	char		*cause = NULL;

	a->id = 0x2044;
	a->folder = xstrdup("/Top of Personal Folders/Calendar");
	a->msgclass = xstrdup("IPM.Appointment");
	a->creator = xstrdup("Alice");
	a->modifier = xstrdup("Calendar Repair Assistant");
	a->created = 1;
	a->start = 130000000000000000LL;
	a->end = a->start + 36000000000LL;
	blob(&a->goid, "goid-bytes-0123456789");
	blob(&a->clean_goid, "clean-goid");
	a->search_key.data = xmalloc(1);	/* present, empty */
	a->search_key.len = 0;
	a->subject = xstrdup(subject);
	a->location = xstrdup("");
	a->body = xstrdup("the body, spooled");
	a->html = xstrdup("<p>html</p>");
	blob(&a->rtf, "rtf-bytes");
	a->ncategories = 2;
	a->categories = xcalloc(2, sizeof *a->categories);
	a->categories[0] = xstrdup("Red");
	a->categories[1] = xstrdup("Blue");
	a->org_name = xstrdup("Alice");
	a->org_email = xstrdup("alice@example.org");
	a->nrcpts = 2;
	a->rcpts = xcalloc(2, sizeof *a->rcpts);
	a->rcpts[0].name = xstrdup("Bob");
	a->rcpts[0].email = xstrdup("bob@example.org");
	a->rcpts[0].addrtype = xstrdup("SMTP");
	a->rcpts[0].type = 1;
	a->rcpts[1].email = xstrdup("carol@example.org");
	a->rcpts[1].addrtype = xstrdup("SMTP");
	a->rcpts[1].flags = 3;
	a->recurring = 1;
	blob(&a->recur, "recur-pattern");
	blob(&a->tz_struct, "tz-struct-48-bytes");
	a->tz_desc = xstrdup("(UTC+01:00) Amsterdam");
	blob(&a->tzdef_start, "tzdef");
	blob(&a->tzdef_recur, "tzdef-recur");
	a->nattach = 2;
	a->attachs = xcalloc(2, sizeof *a->attachs);
	a->attachs[0].name = xstrdup("agenda.txt");
	a->attachs[0].mime = xstrdup("text/plain");
	blob(&a->attachs[0].data, "attachment bytes");
	/* One the reader could not read (model.h): its why is packed. */
	a->attachs[1].name = xstrdup("broken.doc");
	a->attachs[1].unread = xstrdup("attachment 2 \"broken.doc\" "
	    "unreadable, left out: checksum");
	a->nexcs = 1;
	a->excs = xcalloc(1, sizeof *a->excs);
	a->excs[0].replace_time = a->start + 7 * 864000000000LL;
	a->excs[0].item = x = appt_new();
	x->folder = xstrdup(a->folder);
	x->subject = xstrdup("moved");
	x->body = xstrdup("exception body");
	x->start = a->start + 7 * 864000000000LL;
	x->end = x->start + 1;
	blob(&x->tz_struct, "tz-struct-48-bytes");
	cr_assert_eq(appt_spool(a, spool, &cause), 0, "%s", cause);
	return a;
}

#define SAME_STR(f) do {						\
	if (a->f == NULL)						\
		cr_assert_null(b->f, #f);				\
	else {								\
		cr_assert_not_null(b->f, #f);				\
		cr_assert_str_eq(a->f, b->f, #f);			\
	}								\
} while (0)
#define SAME_BLOB(f) do {						\
	cr_assert_eq(a->f.data == NULL, b->f.data == NULL, #f);	\
	cr_assert_eq(a->f.len, b->f.len, #f);				\
	if (a->f.len > 0)						\
		cr_assert_eq(memcmp(a->f.data, b->f.data, a->f.len), 0, #f); \
} while (0)

static void	same_as(const struct appt *, const struct appt *, int);

/* Every field of a and b equal, by value, both spooled alike. */
static void
same(const struct appt *a, const struct appt *b)
{
	same_as(a, b, 1);
}

/* spool: compare where the content sits too (else b's content must be
 * in memory, as a's is). */
static void
same_as(const struct appt *a, const struct appt *b, int spool)
{
	size_t	i;

	cr_assert_eq(a->id, b->id);
	SAME_STR(folder);
	SAME_STR(msgclass);
	SAME_STR(creator);
	SAME_STR(modifier);
	SAME_STR(subject);
	SAME_STR(location);
	SAME_STR(org_name);
	SAME_STR(org_email);
	SAME_STR(tz_desc);
	SAME_STR(uid);
	SAME_BLOB(goid);
	SAME_BLOB(clean_goid);
	SAME_BLOB(search_key);
	SAME_BLOB(recur);
	SAME_BLOB(tz_struct);
	SAME_BLOB(tzdef_start);
	SAME_BLOB(tzdef_end);
	SAME_BLOB(tzdef_recur);
	cr_assert_eq(a->start, b->start);
	cr_assert_eq(a->end, b->end);
	cr_assert_eq(a->recurring, b->recurring);
	if (spool) {
		cr_assert_eq(a->spooled, b->spooled);
		/* Each was spooled on its own: its own offset. */
		cr_assert_eq(a->body_at.len, b->body_at.len);
		cr_assert_eq(a->body_at.present, b->body_at.present);
		cr_assert_eq(a->rtf_at.len, b->rtf_at.len);
	} else {
		SAME_STR(body);
		SAME_STR(html);
		SAME_BLOB(rtf);
	}
	cr_assert_eq(a->all_day, b->all_day);
	cr_assert_eq(a->busy, b->busy);
	cr_assert_eq(a->sequence, b->sequence);
	cr_assert_eq(a->state, b->state);
	cr_assert_eq(a->created, b->created);
	cr_assert_eq(a->modified, b->modified);
	cr_assert_eq(a->in_calendar, b->in_calendar);
	cr_assert_eq(a->replace_time, b->replace_time);
	cr_assert_eq(a->ncategories, b->ncategories);
	for (i = 0; i < a->ncategories; i++)
		SAME_STR(categories[i]);
	cr_assert_eq(a->nrcpts, b->nrcpts);
	for (i = 0; i < a->nrcpts; i++) {
		SAME_STR(rcpts[i].name);
		SAME_STR(rcpts[i].email);
		SAME_STR(rcpts[i].addrtype);
		cr_assert_eq(a->rcpts[i].type, b->rcpts[i].type);
		cr_assert_eq(a->rcpts[i].flags, b->rcpts[i].flags);
	}
	cr_assert_eq(a->nattach, b->nattach);
	for (i = 0; i < a->nattach; i++) {
		SAME_STR(attachs[i].name);
		SAME_STR(attachs[i].mime);
		SAME_STR(attachs[i].uri);
		SAME_STR(attachs[i].unread);
		cr_assert_eq(a->attachs[i].data.len, b->attachs[i].data.len);
		cr_assert_eq(a->attachs[i].embedded, b->attachs[i].embedded);
		if (spool)
			cr_assert_eq(a->attachs[i].spooled,
			    b->attachs[i].spooled);
		else if (a->attachs[i].data.len > 0)
			cr_assert_eq(memcmp(a->attachs[i].data.data,
			    b->attachs[i].data.data, a->attachs[i].data.len),
			    0);
	}
	cr_assert_eq(a->nexcs, b->nexcs);
	for (i = 0; i < a->nexcs; i++) {
		cr_assert_eq(a->excs[i].replace_time, b->excs[i].replace_time);
		cr_assert_eq(a->excs[i].att_start, b->excs[i].att_start);
		same_as(a->excs[i].item, b->excs[i].item, spool);
	}
}

Test(pack, packed_item_reads_the_same)
{
	struct appt_pool	*pool = appt_pool_new();
	FILE			*spool = tmpfile();
	struct appt		*ref, *a;
	char			*cause = NULL;

	cr_assert_not_null(spool);
	ref = full_item("Weekly sync", spool);
	a = full_item("Weekly sync", spool);
	a = appt_pack(a, pool);
	cr_assert_eq(a->pack, (void *)a, "the struct starts its pack");
	same(ref, a);
	/* Bodies and attachment bytes still come and go. */
	cr_assert_eq(appt_unspool(a, spool, &cause), 0, "%s", cause);
	cr_assert_str_eq(a->body, "the body, spooled");
	cr_assert_str_eq(a->html, "<p>html</p>");
	cr_assert_eq(a->rtf.len, 9);
	cr_assert_eq(memcmp(a->attachs[0].data.data, "attachment bytes", 16),
	    0);
	cr_assert_str_eq(a->excs[0].item->body, "exception body");
	appt_respool(a);
	cr_assert_null(a->body);
	/* A UID set later is the item's own. */
	a->uid = xstrdup("pstdedup-copy-1");
	/* Freed while unspooled: nothing leaks (ASan). */
	cr_assert_eq(appt_unspool(a, spool, &cause), 0, "%s", cause);
	appt_free(a);
	appt_free(ref);
	appt_pool_free(pool);
	fclose(spool);
}

Test(pack, pool_holds_shared_values_once)
{
	struct appt_pool	*pool = appt_pool_new();
	FILE			*spool = tmpfile();
	struct appt		*a, *b;
	size_t			 n, bytes, i;

	a = appt_pack(full_item("one", spool), pool);
	b = appt_pack(full_item("two", spool), pool);
	cr_assert_eq(a->folder, b->folder);
	cr_assert_eq(a->creator, b->creator);
	cr_assert_eq(a->tz_struct.data, b->tz_struct.data);
	cr_assert_eq(a->rcpts[0].addrtype, b->rcpts[1].addrtype);
	/* The exception's zone too, and its folder. */
	cr_assert_eq(a->excs[0].item->tz_struct.data, a->tz_struct.data);
	cr_assert_eq(a->excs[0].item->folder, a->folder);
	cr_assert_neq(a->subject, b->subject);
	n = appt_pool_count(pool, &bytes);
	cr_assert_eq(n, 9, "folder, class, two names, tz desc, three "
	    "tz blobs, SMTP: %zu", n);
	/* Many more items add no more shared values. */
	for (i = 0; i < 2000; i++)
		appt_free(appt_pack(full_item("x", spool), pool));
	cr_assert_eq(appt_pool_count(pool, NULL), 9);
	appt_free(a);
	appt_free(b);
	appt_pool_free(pool);
	fclose(spool);
}

Test(pack, many_distinct_values_grow_the_pool)
{
	struct appt_pool	*pool = appt_pool_new();
	FILE			*spool = tmpfile();
	struct appt		*v[600];
	char			 name[32];
	size_t			 i;

	for (i = 0; i < 600; i++) {
		v[i] = full_item("s", spool);
		free(v[i]->creator);
		snprintf(name, sizeof name, "creator %zu", i);
		v[i]->creator = xstrdup(name);
		v[i] = appt_pack(v[i], pool);
	}
	for (i = 0; i < 600; i++) {
		snprintf(name, sizeof name, "creator %zu", i);
		cr_assert_str_eq(v[i]->creator, name);
	}
	cr_assert_eq(appt_pool_count(pool, NULL), 8 + 600);
	for (i = 0; i < 600; i++)
		appt_free(v[i]);
	appt_pool_free(pool);
	fclose(spool);
}

Test(pack, unpackable_items_stay_as_they_are)
{
	struct appt_pool	*pool = appt_pool_new();
	FILE			*spool = tmpfile();
	struct appt		*a, *p;

	/* Not spooled: its body would have to be packed. */
	a = appt_new();
	a->subject = xstrdup("not spooled");
	a->body = xstrdup("body");
	cr_assert_eq(appt_pack(a, pool), a);
	cr_assert_null(a->pack);
	appt_free(a);
	/* Unspooled at the moment: same. */
	a = full_item("x", spool);
	a->body = xstrdup("back in memory");
	cr_assert_eq(appt_pack(a, pool), a);
	appt_free(a);
	/* Without a pool. */
	a = full_item("x", spool);
	cr_assert_eq(appt_pack(a, NULL), a);
	/* Packed twice: the second is a no-op. */
	p = appt_pack(a, pool);
	cr_assert_eq(appt_pack(p, pool), p);
	appt_free(p);
	appt_pool_free(pool);
	fclose(spool);
}

Test(pack, adopted_pool_outlives_its_source)
{
	struct appt_pool	*p1 = appt_pool_new(), *p2 = appt_pool_new();
	FILE			*spool = tmpfile();
	struct appt		*a;
	size_t			 bytes;

	a = appt_pack(full_item("kept", spool), p1);
	appt_pool_adopt(p2, p1);
	cr_assert_eq(appt_pool_count(p1, &bytes), 0);
	cr_assert_eq(bytes, 0);
	appt_pool_free(p1);
	/* Its shared values now live in p2 (ASan: no use after free). */
	cr_assert_str_eq(a->folder, "/Top of Personal Folders/Calendar");
	cr_assert_str_eq(a->tz_desc, "(UTC+01:00) Amsterdam");
	appt_free(a);
	appt_pool_free(p2);
	fclose(spool);
}

Test(pack, master_goid_shares_its_clean_goid)
{
	struct appt_pool	*pool = appt_pool_new();
	FILE			*spool = tmpfile();
	struct appt		*a, *ref;

	ref = full_item("series", spool);
	appt_blob_set(&ref->clean_goid, ref->goid.data, ref->goid.len);
	a = full_item("series", spool);
	appt_blob_set(&a->clean_goid, a->goid.data, a->goid.len);
	a = appt_pack(a, pool);
	same(ref, a);
	cr_assert_eq(a->clean_goid.data, a->goid.data);
	appt_free(a);
	appt_free(ref);
	appt_pool_free(pool);
	fclose(spool);
}

/* A fixture (tests/data) as a PST through $MKPST, read twice: without a
 * spool (nothing packed) and with one (every item packed). */
static void
read_both(const char *ics, struct reader_result *plain,
    struct reader_result *packed, FILE *spool)
{
	struct reader_opts	 o;
	char			*dir, *out, *cause = NULL;

	dir = tu_tmpdir();
	out = tu_path(dir, "out.pst");
	tu_mkpst(ics, out);
	memset(&o, 0, sizeof o);
	cr_assert_eq(reader_read(out, &o, plain, &cause), 0, "%s", cause);
	o.spool = spool;
	cr_assert_eq(reader_read(out, &o, packed, &cause), 0, "%s", cause);
	tu_rmdir(dir);
	free(dir);
	free(out);
}

Test(pack, reader_packs_and_the_model_is_unchanged)
{
	static const char *const fx[] = {
		"attachments.ics", "exceptions.ics", "meetings.ics",
		"recurring.ics", "traps.ics", "folders.ics", "singles.ics",
		"revisions.ics", "rt-europe.ics"
	};
	struct reader_result	 plain, packed;
	struct appt		*a;
	FILE			*spool;
	char			*cause = NULL;
	size_t			 f, i;

	for (f = 0; f < sizeof fx / sizeof fx[0]; f++) {
		cr_assert_not_null(spool = tmpfile());
		read_both(fx[f], &plain, &packed, spool);
		cr_assert_null(plain.pool, "%s", fx[f]);
		cr_assert_eq(plain.appts.n, packed.appts.n, "%s", fx[f]);
		cr_assert_gt(packed.appts.n, 0, "%s", fx[f]);
		cr_assert_not_null(packed.pool, "%s", fx[f]);
		for (i = 0; i < packed.appts.n; i++) {
			a = packed.appts.v[i];
			cr_assert_null(plain.appts.v[i]->pack);
			cr_assert_eq(a->pack, (void *)a, "%s item %zu",
			    fx[f], i);
			cr_assert_eq(appt_unspool(a, spool, &cause), 0, "%s",
			    cause);
			same_as(plain.appts.v[i], a, 0);
			appt_respool(a);
		}
		reader_result_free(&plain);
		reader_result_free(&packed);
		fclose(spool);
	}
}
