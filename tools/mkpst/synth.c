/* synth.c: a seeded, streaming generator of realistic calendar PSTs. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft.h"
#include "synth.h"
#include "fixture.h"
#include "le.h"
#include "model.h"
#include "pstwrite.h"
#include "tz.h"
#include "xmalloc.h"

/* 2024-01-01 00:00 UTC as FILETIME. */
#define FT_2024		(ft_days_from_civil(2024, 1, 1) * FT_DAY)

static const struct tz_rule weurope = {
	0, 0, -60, 0, -60,
	{ 0, 10, 0, 5, 3, 0, 0, 0 },
	{ 0, 3, 0, 5, 2, 0, 0, 0 }
};

static const char *const topics[] = {
	"Budget review", "Project sync", "Customer call", "Design review",
	"Team lunch", "1:1", "Release planning", "Training", "Interview",
	"Steering committee", "Vendor demo", "Retrospective"
};
static const char *const rooms[] = {
	"Room 101", "Room 2.14", "Teams", "Cafeteria", "Board room", NULL
};
static const char *const people[] = {
	"Ana Silva", "Ben Okafor", "Chen Wei", "Dana Kowalski", "Emil Novak",
	"Fatima Haddad", "Gus Lindqvist", "Hana Sato"
};
static const char *const words[] = {
	"agenda", "notes", "follow", "up", "on", "the", "open", "items",
	"please", "bring", "figures", "for", "Q3", "and", "review", "actions"
};

#define NELEM(a)	(sizeof (a) / sizeof (a)[0])

static uint64_t
next(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static uint32_t
below(uint64_t *s, uint32_t n)
{
	return (uint32_t)(next(s) % n);
}

static char *
make_body(uint64_t *s, size_t len)
{
	char *b = xmalloc(len + 1);
	const char *w;
	size_t i = 0, n;

	while (i < len) {
		w = words[below(s, NELEM(words))];
		n = strlen(w);
		if (i + n + 1 > len)
			n = len - i;
		memcpy(b + i, w, n);
		i += n;
		if (i < len)
			b[i++] = below(s, 12) == 0 ? '\n' : ' ';
	}
	b[len] = '\0';
	return b;
}

static char *
email_of(const char *name)
{
	char *e, *p;

	xasprintf(&e, "%s@example.com", name);
	for (p = e; *p != '@'; p++) {
		if (*p == ' ')
			*p = '.';
		else if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	}
	return e;
}

static void
add_person(struct fixture_appt *a, const char *name, int32_t type,
    int32_t flags, int32_t track)
{
	struct fixture_person *p;

	a->rcpts = xreallocarray(a->rcpts, a->nrcpts + 1, sizeof *a->rcpts);
	p = &a->rcpts[a->nrcpts++];
	p->name = xstrdup(name);
	p->email = email_of(name);
	p->type = type;
	p->flags = flags;
	p->track = track;
}

/* An Exchange-style GOID: header, creation time, 16-byte GUID. */
static void
guid_goid(uint64_t *s, int64_t created, struct fixture_appt *a)
{
	static const uint8_t head[16] = {
		0x04, 0x00, 0x00, 0x00, 0x82, 0x00, 0xE0, 0x00,
		0x74, 0xC5, 0xB7, 0x10, 0x1A, 0x82, 0xE0, 0x08
	};
	uint64_t g1 = next(s), g2 = next(s);

	a->goidlen = a->cleanlen = 56;
	a->goid = xcalloc(1, 56);
	memcpy(a->goid, head, 16);
	a->goid[36] = 16;
	le_put64(a->goid + 20, (uint64_t)created);
	le_put64(a->goid + 40, g1);
	le_put64(a->goid + 48, g2);
	a->clean_goid = xmemdup(a->goid, 56);
}

/* A weekly series in W. Europe time with up to two exceptions and one
 * deleted occurrence. */
static void
make_series(uint64_t *s, struct fixture_appt *a, struct synth_stats *st)
{
	struct recur *p = &a->pat;
	int64_t local = tz_utc_to_local(&weurope, a->start), ol;
	uint32_t lmin = (uint32_t)(local / FT_MIN), count, k;
	size_t i, nexc = below(s, 3);

	a->tz = &weurope;
	a->tzid = "W. Europe Standard Time";
	a->tzdesc = "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, "
	    "Vienna";
	a->recurring = 1;
	count = 5 + below(s, 16);
	memset(p, 0, sizeof *p);
	p->freq = RECUR_FREQ_WEEKLY;
	p->pattern = RECUR_PAT_WEEK;
	p->period = 1;
	p->day_mask = 1u << (((local / FT_DAY) + 1) % 7);
	p->end_type = RECUR_END_COUNT;
	p->count = count;
	p->start_date = recur_midnight(lmin);
	p->start_offset = lmin % 1440;
	p->end_offset = p->start_offset +
	    (uint32_t)((a->end - a->start) / FT_MIN);
	p->end_date = p->start_date + (count - 1) * 7 * 1440;
	p->writer_version2 = 0x3009;
	a->excs = xcalloc(nexc + 1, sizeof *a->excs);
	for (i = 0; i < nexc; i++) {
		/* Occurrences 1 and 3 move one hour later. */
		k = (uint32_t)(1 + 2 * i);
		if (k >= count)
			break;
		ol = local + (int64_t)k * 7 * FT_DAY;
		a->excs[i].orig_start = tz_local_to_utc(&weurope, ol);
		a->excs[i].start = tz_local_to_utc(&weurope,
		    ol + 60 * FT_MIN);
		a->excs[i].end = a->excs[i].start + (a->end - a->start);
		xasprintf(&a->excs[i].subject, "%s (moved)", a->subject);
		a->excs[i].busy = -1;
		a->excs[i].reminder_set = -1;
		a->excs[i].reminder_min = -1;
		a->nexcs++;
	}
	if (count > 4) {
		a->exdates = xmalloc(sizeof *a->exdates);
		a->exdates[0] = tz_local_to_utc(&weurope,
		    local + 4LL * 7 * FT_DAY);
		a->nexdates = 1;
	}
	st->series++;
	st->exceptions += a->nexcs;
}

static void
make_appt(uint64_t *s, uint64_t i, const struct synth_opts *o, int no_goid,
    struct fixture_appt *a, struct synth_stats *st)
{
	uint32_t kind = below(s, 100), day = below(s, 3 * 365), k, n, org;
	const char *room;

	fixture_appt_init(a);
	xasprintf(&a->subject, "%s #%llu", topics[below(s, NELEM(topics))],
	    (unsigned long long)i);
	room = rooms[below(s, NELEM(rooms))];
	a->location = room != NULL ? xstrdup(room) : NULL;
	a->created = FT_2024 - (int64_t)below(s, 86400 * 30) * FT_SEC;
	a->modified = a->created;
	a->creator = xstrdup("Alex Example");
	if (o->body_bytes > 0)
		a->body = make_body(s, o->body_bytes);
	a->reminder_set = below(s, 2);
	a->reminder_min = a->reminder_set ? 15 : -1;
	if (kind < 10) {
		a->all_day = 1;
		a->busy = 0;
		a->start = FT_2024 + (int64_t)day * FT_DAY;
		a->end = a->start + FT_DAY;
		st->all_day++;
	} else {
		a->start = FT_2024 + (int64_t)day * FT_DAY +
		    (int64_t)(7 + below(s, 10)) * 60 * FT_MIN;
		a->end = a->start + (int64_t)(30 + 30 * below(s, 3)) *
		    FT_MIN;
	}
	if (kind >= 10 && kind < 35) {
		n = 1 + below(s, 4);
		org = below(s, NELEM(people));
		a->org_name = xstrdup(people[org]);
		a->org_email = email_of(a->org_name);
		add_person(a, a->org_name, 1, 0x3, 0);
		for (k = 1; k <= n; k++)
			add_person(a, people[(org + k) % NELEM(people)],
			    below(s, 4) == 0 ? 2 : 1, 0x1, 3 + below(s, 3));
		a->state = 1;
		a->response = 3;
		st->meetings++;
	} else if (kind >= 35 && kind < 45)
		make_series(s, a, st);
	else if (kind >= 45)
		st->singles++;
	if (!no_goid)
		guid_goid(s, a->created, a);
	if (o->attach_bytes > 0 && i % 10 == 0) {
		a->attach_name = xstrdup("agenda.bin");
		a->attach_len = o->attach_bytes;
		a->attach_data = xmalloc(o->attach_bytes);
		for (k = 0; k < o->attach_bytes; k++)
			a->attach_data[k] = (uint8_t)next(s);
	}
}

static int
write_mail(struct pstw *w, struct fixture_folders *ff, uint64_t *s,
    uint64_t i, const struct synth_opts *o, struct synth_stats *st,
    int *kind, char **cause)
{
	struct fixture_appt a;
	size_t k;
	int rv;

	fixture_appt_init(&a);
	a.mail = 1;
	a.folder = xstrdup("Inbox");
	xasprintf(&a.subject, "Re: %s #%llu", topics[below(s, NELEM(topics))],
	    (unsigned long long)i);
	a.org_name = xstrdup(people[below(s, NELEM(people))]);
	a.org_email = email_of(a.org_name);
	add_person(&a, "Alex Example", 1, 0x1, 0);
	a.start = FT_2024 + (int64_t)below(s, 86400 * 365) * FT_SEC;
	a.created = a.start;
	a.body = make_body(s, o->body_bytes > 0 ? o->body_bytes : 200);
	if (o->attach_bytes > 0 && i % 2 == 0) {
		a.attach_name = xstrdup("report.bin");
		a.attach_len = o->attach_bytes;
		a.attach_data = xmalloc(o->attach_bytes);
		for (k = 0; k < o->attach_bytes; k++)
			a.attach_data[k] = (uint8_t)next(s);
		st->attachments++;
	}
	rv = fixture_write(w, ff, &a, kind, cause);
	fixture_appt_free(&a);
	st->mails++;
	return rv;
}

int
synth_run(const char *out, const struct synth_opts *o,
    struct synth_stats *st, int *kind, char **cause)
{
	struct fixture_folders *ff;
	struct fixture_appt a;
	struct pstw *w;
	uint64_t s = o->seed, ndups, norig, i, d = 0;
	int goid_kind;

	memset(st, 0, sizeof *st);
	ndups = (uint64_t)(o->n * o->dup_share + 0.5);
	if (ndups > o->n / 2)
		ndups = o->n / 2;
	norig = o->n - ndups;
	if (pstw_open_opts(out, "Synthetic Personal Folders", &o->pst, &w,
	    cause) != 0) {
		*kind = FIXTURE_ECREATE;
		return -1;
	}
	ff = fixture_folders_new();
	for (i = 0; i < norig; i++) {
		/* Spread the duplicates evenly over the originals. */
		int dup = norig > 0 && (i + 1) * ndups / norig >
		    i * ndups / norig;
		goid_kind = d % 2 == 0;
		make_appt(&s, i, o, dup && !goid_kind, &a, st);
		if (dup && goid_kind) {
			free(a.creator);
			a.creator = xstrdup("Quest Sync Agent");
		}
		if (a.attach_name != NULL)
			st->attachments++;
		if (fixture_write(w, ff, &a, kind, cause) != 0)
			goto fail;
		st->items++;
		st->originals++;
		if (dup) {
			/* The copy: a separately created object. */
			free(a.creator);
			free(a.modifier);
			a.creator = xstrdup(goid_kind ?
			    "Calendar Repair Assistant" : "Alex Example");
			a.modifier = xstrdup(goid_kind ? "SVC-CRA" :
			    "Alex Example");
			a.created += 3600 * FT_SEC;
			a.modified = a.created;
			/* The CRA rebuilds the item from the organizer's
			 * copy: the attendee's own reminder is not on it. */
			if (goid_kind) {
				a.reminder_set = 0;
				a.reminder_min = -1;
			}
			if (a.attach_name != NULL)
				st->attachments++;
			if (fixture_write(w, ff, &a, kind, cause) != 0)
				goto fail;
			st->items++;
			if (goid_kind)
				st->goid_dups++;
			else
				st->content_dups++;
			d++;
		}
		fixture_appt_free(&a);
	}
	for (i = 0; i < o->mails; i++)
		if (write_mail(w, ff, &s, i, o, st, kind, cause) != 0) {
			pstw_abort(w);
			fixture_folders_free(ff);
			return -1;
		}
	fixture_folders_free(ff);
	if (pstw_close(w, cause) != 0) {
		*kind = FIXTURE_EIO;
		remove(out);
		return -1;
	}
	return 0;
fail:
	fixture_appt_free(&a);
	pstw_abort(w);
	fixture_folders_free(ff);
	return -1;
}
