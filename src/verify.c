/* verify.c: check a written calendar against the items, one event at a time. */
#include <inttypes.h>
#include <libical/ical.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <xxhash.h>

#include "compat.h"
#include "icsread.h"
#include "model.h"
#include "recur.h"
#include "tz.h"
#include "verify.h"
#include "verify_int.h"
#include "writer.h"
#include "xmalloc.h"

static char	*vs_uid(struct vstate *, const struct appt *);
static char	*item_name(const struct appt *);
static int	 exp_cmp(const void *, const void *);
static int	 check_event(struct vstate *, const char *, char **);
static int	 check_items(struct vstate *, char **);
static int	 on_zone(void *, const char *, int, char **);
static int	 on_event(void *, const char *, int, char **);

int
verify_ics(FILE *in, struct appt *const *items, size_t n,
    const struct verify_opts *opts, char **cause)
{
	struct vstate		 st;
	struct icsread_chunker	 ck;
	int			 error = -1;

	*cause = NULL;
	if (vf_state_init(&st, items, n, opts, cause) != 0)
		goto out;
	memset(&ck, 0, sizeof ck);
	ck.zone = on_zone;
	ck.event = on_event;
	ck.skip_prop = vf_skipped_prop;
	ck.arg = &st;
	if (icsread_chunks(in, &ck, cause) != 0)
		goto out;
	st.max_chunk = ck.max_chunk;
	error = vf_state_end(&st, cause);
out:
	vf_state_fini(&st);
	return error;
}

/* The expected UIDs, sorted by hash; check_items() on them. */
int
vf_state_init(struct vstate *st, struct appt *const *items, size_t n,
    const struct verify_opts *opts, char **cause)
{
	char	*uid;
	size_t	 i;

	memset(st, 0, sizeof *st);
	st->opts = opts;
	st->items = items;
	st->n = n;
	st->exp = xreallocarray(NULL, n + 1, sizeof *st->exp);
	st->found = xcalloc(n + 1, 1);
	for (i = 0; i < n; i++) {
		uid = vs_uid(st, items[i]);
		st->exp[i].hash = XXH3_64bits(uid, strlen(uid));
		st->exp[i].idx = i;
		free(uid);
	}
	qsort(st->exp, n, sizeof *st->exp, exp_cmp);
	return check_items(st, cause);
}

/* After the last event: the open series, then every item seen. */
int
vf_state_end(struct vstate *st, char **cause)
{
	char	*uid;
	size_t	 i;

	if (vf_series_end(st, cause) != 0)
		return -1;
	for (i = 0; i < st->n; i++) {
		if (!st->found[i]) {
			uid = vs_uid(st, st->items[i]);
			*cause = vf_fail(st->items[i], "UID %s: no event in "
			    "the file", uid);
			free(uid);
			return -1;
		}
	}
	return 0;
}

void
vf_state_fini(struct vstate *st)
{
	size_t	i;

	if (st->opts != NULL && st->opts->stats != NULL) {
		st->opts->stats->events = st->nevents;
		st->opts->stats->overrides = st->noverrides;
		st->opts->stats->max_chunk = st->max_chunk;
	}
	vf_series_clear(&st->ser);
	for (i = 0; i < st->nzones; i++)
		free(st->zones[i].tzid);
	free(st->zones);
	free(st->exp);
	free(st->found);
}

static int
on_zone(void *arg, const char *text, int where, char **cause)
{
	struct vstate	*st = arg;

	if (st->nevents > 0) {
		xasprintf(cause, "line %d: VTIMEZONE after the events", where);
		return -1;
	}
	return vf_zone_add(st, text, cause);
}

static int
on_event(void *arg, const char *text, int where, char **cause)
{
	struct vstate	*st = arg;

	st->nevents++;
	return check_event(st, text, cause);
}

static char *
vs_uid(struct vstate *st, const struct appt *a)
{
	if (st->opts != NULL && st->opts->uid != NULL)
		return st->opts->uid(st->opts->uid_arg, a);
	return writer_uid(a);
}

/* "subject" (folder/0xid), as the warnings name items. */
static char *
item_name(const struct appt *a)
{
	char	*s;

	xasprintf(&s, "\"%s\" (%s/0x%" PRIx64 ")",
	    a->subject != NULL ? a->subject : "", a->folder != NULL ?
	    a->folder : "", a->id);
	return s;
}

char *
vf_fail(const struct appt *a, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg, *name, *s;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	name = item_name(a);
	xasprintf(&s, "%s: %s", name, msg != NULL ? msg : "mismatch");
	free(name);
	free(msg);
	return s;
}

icalproperty *
vf_only_prop(icalcomponent *ev, icalproperty_kind kind, const char *name,
    const struct appt *a, char **why)
{
	if (icalcomponent_count_properties(ev, kind) > 1) {
		*why = vf_fail(a, "%s: more than one", name);
		return NULL;
	}
	return icalcomponent_get_first_property(ev, kind);
}

static int
exp_cmp(const void *pa, const void *pb)
{
	const struct vexp	*a = pa, *b = pb;

	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Two items that share a UID would be two masters of one UID. */
static int
check_items(struct vstate *st, char **cause)
{
	const struct appt	*a, *b;
	char			*ua, *ub, *nb;
	size_t			 i;

	if (st->opts != NULL && st->opts->shared_uids)
		return 0;
	for (i = 1; i < st->n; i++) {
		if (st->exp[i].hash != st->exp[i - 1].hash)
			continue;
		a = st->items[st->exp[i - 1].idx];
		b = st->items[st->exp[i].idx];
		ua = vs_uid(st, a);
		ub = vs_uid(st, b);
		if (strcmp(ua, ub) == 0) {
			nb = item_name(b);
			*cause = vf_fail(a, "UID %s: shared with %s", ua, nb);
			free(nb);
		}
		free(ua);
		free(ub);
		if (*cause != NULL)
			return -1;
	}
	return 0;
}

/* One VEVENT's text: parse, find its item, check, free. */
static int
check_event(struct vstate *st, const char *text, char **cause)
{
	return vf_check_parsed(st, icalparser_parse_string(text), cause);
}

/* check_event() after libical's parse; frees ev. */
int
vf_check_parsed(struct vstate *st, icalcomponent *ev, char **cause)
{
	icalproperty	*p, *rid;
	struct vexp	 key;
	const char	*uid;
	char		*u, *why = NULL, *first = NULL;
	size_t		 lo, hi, mid, cand = 0;
	int		 error = -1;

	if (ev == NULL || icalcomponent_isa(ev) != ICAL_VEVENT_COMPONENT) {
		xasprintf(cause, "event %zu: libical cannot parse it",
		    st->nevents);
		goto out;
	}
	if (icalcomponent_count_errors(ev) > 0) {
		p = icalcomponent_get_first_property(ev,
		    ICAL_XLICERROR_PROPERTY);
		xasprintf(cause, "event %zu: libical: %s", st->nevents,
		    p != NULL ? icalproperty_get_xlicerror(p) : "parse error");
		goto out;
	}
	if (icalcomponent_count_properties(ev, ICAL_UID_PROPERTY) != 1 ||
	    (uid = icalcomponent_get_uid(ev)) == NULL) {
		xasprintf(cause, "event %zu: not one UID", st->nevents);
		goto out;
	}
	if ((rid = icalcomponent_get_first_property(ev,
	    ICAL_RECURRENCEID_PROPERTY)) != NULL) {
		error = vf_check_override(st, ev, uid, rid, cause);
		goto out;
	}
	if (vf_series_end(st, cause) != 0)
		goto out;

	/* The first entry with the UID's hash, then each item with it. */
	key.hash = XXH3_64bits(uid, strlen(uid));
	lo = 0;
	hi = st->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (st->exp[mid].hash < key.hash)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < st->n && st->exp[lo].hash == key.hash; lo++) {
		u = vs_uid(st, st->items[st->exp[lo].idx]);
		if (strcmp(u, uid) != 0) {
			free(u);
			continue;
		}
		free(u);
		cand++;
		if (st->found[st->exp[lo].idx])
			continue;
		if (vf_check_master(st, st->exp[lo].idx, ev, uid, &why) == 0) {
			st->found[st->exp[lo].idx] = 1;
			free(first);
			error = 0;
			goto out;
		}
		if (first == NULL)
			first = why;
		else
			free(why);
		why = NULL;
	}
	if (first != NULL) {
		*cause = first;
		goto out;
	}
	if (cand == 0)
		xasprintf(cause, "event %zu (UID %s): not one of the items "
		    "written", st->nevents, uid);
	else
		xasprintf(cause, "event %zu (UID %s): a second master event "
		    "with this UID", st->nevents, uid);
out:
	if (ev != NULL)
		icalcomponent_free(ev);
	return error;
}

/* A line not handed to libical: every property but the ones checked
 * (parsing the rest costs more than all the checks). BEGIN and END
 * stay, so that a subcomponent's lines stay its own. */
int
vf_skipped_prop(const char *line)
{
	static const char *const	 names[] = {
		"ATTENDEE", "BEGIN", "DTEND", "DTSTART", "END", "EXDATE",
		"RECURRENCE-ID", "RRULE", "SUMMARY", "UID"
	};
	size_t				 i, n;

	/* Each name starts with one of these: most lines fail here. */
	switch (line[0]) {
	case 'A': case 'a': case 'B': case 'b': case 'D': case 'd':
	case 'E': case 'e': case 'R': case 'r': case 'S': case 's':
	case 'U': case 'u':
		break;
	default:
		return 1;
	}
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		n = strlen(names[i]);
		if (strncasecmp(line, names[i], n) == 0 &&
		    (line[n] == ';' || line[n] == ':'))
			return 0;
	}
	return 1;
}
