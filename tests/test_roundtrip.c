/* test_roundtrip.c: fixture -> mkpst -> pstdedup gives back the same events. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <libical/ical.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "testutil.h"

#define YEARS5		((int64_t)(5 * 365 + 2) * 86400)
#define MAXOCC		4000	/* bounds a runaway iterator */
#define NO_ALARM	INT32_MIN
#define NO_TIME		INT64_MIN

/* A time as compared: an instant (UTC seconds), or a date. */
struct when {
	int		 is_date;
	int64_t		 v;		/* UTC seconds; a date's midnight */
	const char	*tzid;		/* "" for UTC or a date */
};

/* A sorted list of times. */
struct whens {
	struct when	*w;
	size_t		 n;
};

struct side {
	const char	*name;		/* "input" or "output" */
	icalcomponent	*cal;
};

/* ---- times ----------------------------------------------------------- */

static const char *
tzid_param(icalproperty *p)
{
	icalparameter *tp = icalproperty_get_first_parameter(p,
	    ICAL_TZID_PARAMETER);

	return tp != NULL ? icalparameter_get_tzid(tp) : "";
}

/* The DATE or DATE-TIME of p, placed in its TZID's VTIMEZONE (which the
 * calendar must hold); t overrides the value when not null. */
static struct when
when_of(const struct side *s, icalproperty *p, icaltimetype t)
{
	const char *tzid = tzid_param(p);
	icaltimezone *z = NULL;
	struct when w;

	if (icaltime_is_null_time(t))
		t = icalvalue_get_datetime(icalproperty_get_value(p));
	cr_assert(!icaltime_is_null_time(t), "%s: %s without a time", s->name,
	    icalproperty_as_ical_string(p));
	memset(&w, 0, sizeof w);
	w.is_date = t.is_date;
	w.tzid = "";
	if (t.is_date) {
		t.zone = NULL;
		w.v = (int64_t)icaltime_as_timet(t);
		return w;
	}
	if (*tzid != '\0') {
		z = icalcomponent_get_timezone(s->cal, tzid);
		cr_assert_not_null(z, "%s: TZID \"%s\" has no VTIMEZONE",
		    s->name, tzid);
		w.tzid = tzid;
		w.v = (int64_t)icaltime_as_timet_with_zone(t, z);
	} else {
		cr_assert(icaltime_is_utc(t), "%s: floating time in %s",
		    s->name, icalproperty_as_ical_string(p));
		w.v = (int64_t)icaltime_as_timet_with_zone(t,
		    icaltimezone_get_utc_timezone());
	}
	return w;
}

static struct when
when_prop(const struct side *s, icalcomponent *ev, icalproperty_kind k)
{
	icalproperty *p = icalcomponent_get_first_property(ev, k);
	struct when w = { 0, NO_TIME, "" };

	if (p == NULL)
		return w;
	return when_of(s, p, icaltime_null_time());
}

static int
when_cmp(const void *a, const void *b)
{
	const struct when *x = a, *y = b;

	if (x->is_date != y->is_date)
		return x->is_date - y->is_date;
	return x->v < y->v ? -1 : x->v > y->v;
}

static char *
when_str(struct when w)
{
	char buf[64], *s;
	time_t t = (time_t)w.v;
	struct tm tm;

	if (w.v == NO_TIME)
		return strdup("(none)");
	gmtime_r(&t, &tm);
	strftime(buf, sizeof buf, w.is_date ? "%Y-%m-%d" :
	    "%Y-%m-%dT%H:%M:%SZ", &tm);
	cr_assert_gt(asprintf(&s, "%s%s%s", buf, *w.tzid ? " TZID=" : "",
	    w.tzid), 0);
	return s;
}

static void
whens_add(struct whens *l, struct when w)
{
	l->w = reallocarray(l->w, l->n + 1, sizeof *l->w);
	cr_assert_not_null(l->w);
	l->w[l->n++] = w;
}

static void
whens_sort(struct whens *l)
{
	if (l->n > 0)
		qsort(l->w, l->n, sizeof *l->w, when_cmp);
}

static void
whens_eq(const struct whens *in, const struct whens *out, const char *uid,
    const char *what)
{
	char *a, *b;

	for (size_t i = 0; i < in->n && i < out->n; i++) {
		if (when_cmp(&in->w[i], &out->w[i]) == 0)
			continue;
		a = when_str(in->w[i]);
		b = when_str(out->w[i]);
		cr_assert_fail("%s %s: #%zu is %s in the input, %s in the "
		    "output", uid, what, i + 1, a, b);
	}
	cr_assert_eq(in->n, out->n, "%s %s: %zu in the input, %zu in the "
	    "output", uid, what, in->n, out->n);
}

/* ---- events ------------------------------------------------------------ */

static icalproperty *
rid_prop(icalcomponent *ev)
{
	return icalcomponent_get_first_property(ev,
	    ICAL_RECURRENCEID_PROPERTY);
}

/* The VEVENT with this UID and RECURRENCE-ID (NO_TIME: the master). */
static icalcomponent *
find_event(const struct side *s, const char *uid, int64_t rid)
{
	icalcomponent *ev, *found = NULL;
	icalproperty *p;
	int64_t r;

	for (ev = icalcomponent_get_first_component(s->cal,
	    ICAL_VEVENT_COMPONENT); ev != NULL;
	    ev = icalcomponent_get_next_component(s->cal,
	    ICAL_VEVENT_COMPONENT)) {
		if (strcmp(icalcomponent_get_uid(ev), uid) != 0)
			continue;
		p = rid_prop(ev);
		r = p != NULL ? when_of(s, p, icaltime_null_time()).v : NO_TIME;
		if (r != rid)
			continue;
		cr_assert_null(found, "%s: two VEVENTs for UID %s", s->name,
		    uid);
		found = ev;
	}
	return found;
}

static const char *
text(icalcomponent *ev, icalproperty_kind k)
{
	icalproperty *p = icalcomponent_get_first_property(ev, k);
	const char *v;

	if (p == NULL)
		return "";
	v = icalvalue_as_ical_string(icalproperty_get_value(p));
	return v != NULL ? v : "";
}

static const char *
xprop(icalcomponent *ev, const char *name)
{
	icalproperty *p;

	for (p = icalcomponent_get_first_property(ev, ICAL_X_PROPERTY);
	    p != NULL;
	    p = icalcomponent_get_next_property(ev, ICAL_X_PROPERTY))
		if (strcasecmp(icalproperty_get_x_name(p), name) == 0)
			return icalproperty_get_x(p);
	return NULL;
}

static void
push(char ***v, size_t *n, char *s)
{
	*v = reallocarray(*v, *n + 1, sizeof **v);
	cr_assert_not_null(*v);
	(*v)[(*n)++] = s;
}

/* Every category, one per line, sorted (one property or several). */
static char *
categories(icalcomponent *ev)
{
	icalproperty *p;
	char **v = NULL, *dup, *tok, *save;
	size_t n = 0;

	for (p = icalcomponent_get_first_property(ev, ICAL_CATEGORIES_PROPERTY);
	    p != NULL;
	    p = icalcomponent_get_next_property(ev, ICAL_CATEGORIES_PROPERTY)) {
		dup = strdup(icalproperty_get_categories(p));
		for (tok = strtok_r(dup, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save))
			push(&v, &n, strdup(tok));
		free(dup);
	}
	return tu_joined(v, n);
}

static char *
lower_addr(const char *v)
{
	char *s;

	if (strncasecmp(v, "mailto:", 7) == 0)
		v += 7;
	s = strdup(v);
	for (char *c = s; *c != '\0'; c++)
		*c = (char)tolower((unsigned char)*c);
	return s;
}

static const char *
param(icalproperty *p, icalparameter_kind k, const char *dflt)
{
	icalparameter *pa = icalproperty_get_first_parameter(p, k);

	return pa != NULL ? icalparameter_as_ical_string(pa) : dflt;
}

static char *
organizer(icalcomponent *ev)
{
	icalproperty *p = icalcomponent_get_first_property(ev,
	    ICAL_ORGANIZER_PROPERTY);
	char *addr, *s;

	if (p == NULL)
		return strdup("");
	addr = lower_addr(icalproperty_get_organizer(p));
	cr_assert_gt(asprintf(&s, "%s %s", addr, param(p, ICAL_CN_PARAMETER,
	    "")), 0);
	free(addr);
	return s;
}

/* Attendees with CN, ROLE, PARTSTAT and CUTYPE, defaults spelled out;
 * the organizer's own row is the ORGANIZER, not an attendee. */
static char *
attendees(icalcomponent *ev)
{
	icalproperty *p, *op;
	char **v = NULL, *addr, *org = NULL, *s;
	size_t n = 0;

	if ((op = icalcomponent_get_first_property(ev,
	    ICAL_ORGANIZER_PROPERTY)) != NULL)
		org = lower_addr(icalproperty_get_organizer(op));
	for (p = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY);
	    p != NULL;
	    p = icalcomponent_get_next_property(ev, ICAL_ATTENDEE_PROPERTY)) {
		addr = lower_addr(icalproperty_get_attendee(p));
		if (org != NULL && strcmp(addr, org) == 0) {
			free(addr);
			continue;
		}
		cr_assert_gt(asprintf(&s, "%s %s %s %s %s", addr,
		    param(p, ICAL_CN_PARAMETER, "CN="),
		    param(p, ICAL_ROLE_PARAMETER, "ROLE=REQ-PARTICIPANT"),
		    param(p, ICAL_PARTSTAT_PARAMETER, "PARTSTAT=NEEDS-ACTION"),
		    param(p, ICAL_CUTYPE_PARAMETER, "CUTYPE=INDIVIDUAL")), 0);
		free(addr);
		push(&v, &n, s);
	}
	free(org);
	return tu_joined(v, n);
}

/* Minutes of the first VALARM's TRIGGER, or NO_ALARM. */
static int
alarm(icalcomponent *ev)
{
	icalcomponent *va = icalcomponent_get_first_component(ev,
	    ICAL_VALARM_COMPONENT);
	icalproperty *t;
	struct icaltriggertype tr;

	if (va == NULL)
		return NO_ALARM;
	t = icalcomponent_get_first_property(va, ICAL_TRIGGER_PROPERTY);
	cr_assert_not_null(t, "VALARM without TRIGGER");
	tr = icalproperty_get_trigger(t);
	return icaldurationtype_as_int(tr.duration);
}

static const char *
transp(icalcomponent *ev)
{
	const char *t = text(ev, ICAL_TRANSP_PROPERTY);

	return *t != '\0' ? t : "OPAQUE";
}

static const char *
busy(icalcomponent *ev)
{
	const char *b = xprop(ev, "X-MICROSOFT-CDO-BUSYSTATUS");

	if (b != NULL)
		return b;
	return strcmp(transp(ev), "TRANSPARENT") == 0 ? "FREE" : "BUSY";
}

static const char *
klass(icalcomponent *ev)
{
	const char *c = text(ev, ICAL_CLASS_PROPERTY);

	return *c != '\0' ? c : "PUBLIC";
}

/* An exception leaves out the text, attendees, organizer, categories,
 * class and transparency it shares with its master. */
static icalcomponent *
owner(icalcomponent *ev, icalcomponent *master, icalproperty_kind k)
{
	if (master == NULL || icalcomponent_get_first_property(ev, k) != NULL)
		return ev;
	return master;
}

static void
str_eq(const char *uid, const char *what, const char *in, const char *out)
{
	cr_assert_str_eq(in, out, "%s %s: input \"%s\", output \"%s\"", uid,
	    what, in, out);
}

static void
dup_eq(const char *uid, const char *what, char *in, char *out)
{
	str_eq(uid, what, in, out);
	free(in);
	free(out);
}

static void
when_eq(const char *uid, const char *what, struct when in, struct when out)
{
	char *a = when_str(in), *b = when_str(out);

	cr_assert(when_cmp(&in, &out) == 0 && strcmp(in.tzid, out.tzid) == 0,
	    "%s %s: input %s, output %s", uid, what, a, b);
	free(a);
	free(b);
}

/* ---- recurrence -------------------------------------------------------- */

/* The weekday set and the Nth (BYDAY=2WE or BYSETPOS=2) of a rule. */
static void
rule_days(const struct icalrecurrencetype *r, int *mask, int *nth)
{
	int i, pos;

	*mask = 0;
	*nth = r->by_set_pos[0] != ICAL_RECURRENCE_ARRAY_MAX ?
	    r->by_set_pos[0] : 0;
	for (i = 0; r->by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++) {
		*mask |= 1 << icalrecurrencetype_day_day_of_week(r->by_day[i]);
		if ((pos = icalrecurrencetype_day_position(r->by_day[i])) != 0)
			*nth = pos;
	}
}

static char *
short_list(const short *a)
{
	char buf[512];
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; a[i] != ICAL_RECURRENCE_ARRAY_MAX &&
	    len < sizeof buf - 16; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%d",
		    i ? "," : "", a[i]);
	return strdup(buf);
}

/* The rule's meaning: daily-with-weekdays is weekly; UNTIL is compared
 * through the occurrences, which it only bounds. */
static void
rule_eq(const char *uid, struct icalrecurrencetype in,
    struct icalrecurrencetype out)
{
	int min, mout, nin, nout;

	if (in.freq == ICAL_DAILY_RECURRENCE && in.interval == 1 &&
	    in.by_day[0] != ICAL_RECURRENCE_ARRAY_MAX)
		in.freq = ICAL_WEEKLY_RECURRENCE;
	cr_assert_eq(in.freq, out.freq, "%s RRULE FREQ: %d vs %d", uid,
	    in.freq, out.freq);
	cr_assert_eq(in.interval, out.interval, "%s RRULE INTERVAL", uid);
	cr_assert_eq(in.count, out.count, "%s RRULE COUNT: %d vs %d", uid,
	    in.count, out.count);
	cr_assert_eq(icaltime_is_null_time(in.until),
	    icaltime_is_null_time(out.until), "%s RRULE UNTIL presence", uid);
	rule_days(&in, &min, &nin);
	rule_days(&out, &mout, &nout);
	if (min != 0)
		cr_assert_eq(min, mout, "%s RRULE BYDAY days: %#x vs %#x", uid,
		    min, mout);
	cr_assert_eq(nin, nout, "%s RRULE Nth: %d vs %d", uid, nin, nout);
	if (in.by_month_day[0] != ICAL_RECURRENCE_ARRAY_MAX)
		dup_eq(uid, "RRULE BYMONTHDAY", short_list(in.by_month_day),
		    short_list(out.by_month_day));
	if (in.by_month[0] != ICAL_RECURRENCE_ARRAY_MAX)
		dup_eq(uid, "RRULE BYMONTH", short_list(in.by_month),
		    short_list(out.by_month));
}

static struct whens
exdates(const struct side *s, icalcomponent *ev)
{
	struct whens l = { NULL, 0 };
	icalproperty *p;

	for (p = icalcomponent_get_first_property(ev, ICAL_EXDATE_PROPERTY);
	    p != NULL;
	    p = icalcomponent_get_next_property(ev, ICAL_EXDATE_PROPERTY))
		whens_add(&l, when_of(s, p, icalproperty_get_exdate(p)));
	whens_sort(&l);
	return l;
}

/* Occurrence starts up to end: the RRULE expanded by libical, less the
 * EXDATEs, with each RECURRENCE-ID moved to its override's start. */
static struct whens
occurrences(const struct side *s, icalcomponent *master, int64_t end)
{
	icalproperty *rp = icalcomponent_get_first_property(master,
	    ICAL_RRULE_PROPERTY), *sp;
	icalproperty *dp = icalcomponent_get_first_property(master,
	    ICAL_DTSTART_PROPERTY);
	const char *uid = icalcomponent_get_uid(master);
	struct whens l = { NULL, 0 }, ex;
	struct icalrecurrencetype rule = icalproperty_get_rrule(rp);
	icalrecur_iterator *it;
	icalcomponent *ev;
	icaltimetype start, t;
	struct when w, rid;
	size_t i, j;

	/* With its zone, so that UNTIL (UTC) bounds the local times. */
	start = icalvalue_get_datetime(icalproperty_get_value(dp));
	if (!start.is_date && *tzid_param(dp) != '\0')
		start = icaltime_set_timezone(&start,
		    icalcomponent_get_timezone(s->cal, tzid_param(dp)));
	it = icalrecur_iterator_new(rule, start);
	cr_assert_not_null(it, "%s %s: bad RRULE", s->name, uid);
	while (!icaltime_is_null_time(t = icalrecur_iterator_next(it))) {
		w = when_of(s, dp, t);
		if (w.v > end)
			break;
		cr_assert_lt(l.n, MAXOCC, "%s %s: runaway RRULE", s->name, uid);
		whens_add(&l, w);
	}
	icalrecur_iterator_free(it);

	ex = exdates(s, master);
	for (i = 0; i < ex.n; i++) {
		for (j = 0; j < l.n; j++)
			if (when_cmp(&l.w[j], &ex.w[i]) == 0)
				break;
		cr_assert_lt(j, l.n, "%s %s: EXDATE #%zu is no occurrence",
		    s->name, uid, i + 1);
		l.w[j] = l.w[--l.n];
	}
	free(ex.w);

	for (ev = icalcomponent_get_first_component(s->cal,
	    ICAL_VEVENT_COMPONENT); ev != NULL;
	    ev = icalcomponent_get_next_component(s->cal,
	    ICAL_VEVENT_COMPONENT)) {
		if ((sp = rid_prop(ev)) == NULL ||
		    strcmp(icalcomponent_get_uid(ev), uid) != 0)
			continue;
		rid = when_of(s, sp, icaltime_null_time());
		for (j = 0; j < l.n; j++)
			if (when_cmp(&l.w[j], &rid) == 0)
				break;
		cr_assert_lt(j, l.n, "%s %s: a RECURRENCE-ID that is no "
		    "occurrence", s->name, uid);
		l.w[j] = when_prop(s, ev, ICAL_DTSTART_PROPERTY);
	}
	whens_sort(&l);
	return l;
}

/* ---- the comparison ---------------------------------------------------- */

/* STATUS and Outlook's X- properties (an exception's from its master),
 * written back as they were read. */
static void
outlook_x_eq(const char *uid, icalcomponent *a, icalcomponent *master,
    icalcomponent *b)
{
	static const char *const names[] = {
		"X-MICROSOFT-CDO-OWNERAPPTID", "X-MICROSOFT-DISALLOW-COUNTER",
		"X-MS-OLK-ALLOWEXTERNCHECK", "X-MS-OLK-APPTLASTSEQUENCE",
		"X-MS-OLK-APPTSEQTIME", "X-MS-OLK-AUTOFILLLOCATION",
		"X-MS-OLK-CONFTYPE"
	};
	const char *xa, *xb;
	size_t i;

	str_eq(uid, "STATUS", text(owner(a, master, ICAL_STATUS_PROPERTY),
	    ICAL_STATUS_PROPERTY), text(b, ICAL_STATUS_PROPERTY));
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if ((xa = xprop(a, names[i])) == NULL && master != NULL)
			xa = xprop(master, names[i]);
		xb = xprop(b, names[i]);
		str_eq(uid, names[i], xa != NULL ? xa : "",
		    xb != NULL ? xb : "");
	}
}

/* One input event against its output counterpart; master is the input
 * series an exception belongs to, else NULL. */
static void
compare_event(const struct side *in, icalcomponent *a, icalcomponent *master,
    const struct side *out, icalcomponent *b)
{
	const char *uid = icalcomponent_get_uid(a);
	icalproperty *ra = icalcomponent_get_first_property(a,
	    ICAL_RRULE_PROPERTY);
	icalproperty *rb = icalcomponent_get_first_property(b,
	    ICAL_RRULE_PROPERTY);
	struct whens ea, eb, oa, ob;
	int64_t end;

	str_eq(uid, "SUMMARY", text(owner(a, master, ICAL_SUMMARY_PROPERTY),
	    ICAL_SUMMARY_PROPERTY), text(b, ICAL_SUMMARY_PROPERTY));
	str_eq(uid, "DESCRIPTION", text(owner(a, master,
	    ICAL_DESCRIPTION_PROPERTY), ICAL_DESCRIPTION_PROPERTY),
	    text(b, ICAL_DESCRIPTION_PROPERTY));
	str_eq(uid, "LOCATION", text(owner(a, master, ICAL_LOCATION_PROPERTY),
	    ICAL_LOCATION_PROPERTY), text(b, ICAL_LOCATION_PROPERTY));
	when_eq(uid, "DTSTART", when_prop(in, a, ICAL_DTSTART_PROPERTY),
	    when_prop(out, b, ICAL_DTSTART_PROPERTY));
	when_eq(uid, "DTEND", when_prop(in, a, ICAL_DTEND_PROPERTY),
	    when_prop(out, b, ICAL_DTEND_PROPERTY));
	str_eq(uid, "CLASS", klass(owner(a, master, ICAL_CLASS_PROPERTY)),
	    klass(b));
	str_eq(uid, "TRANSP", transp(owner(a, master, ICAL_TRANSP_PROPERTY)),
	    transp(b));
	str_eq(uid, "X-MICROSOFT-CDO-BUSYSTATUS", busy(a), busy(b));
	outlook_x_eq(uid, a, master, b);
	dup_eq(uid, "CATEGORIES", categories(owner(a, master,
	    ICAL_CATEGORIES_PROPERTY)), categories(b));
	dup_eq(uid, "ORGANIZER", organizer(owner(a, master,
	    ICAL_ORGANIZER_PROPERTY)), organizer(b));
	dup_eq(uid, "ATTENDEE", attendees(owner(a, master,
	    ICAL_ATTENDEE_PROPERTY)), attendees(b));
	/* An exception's own VALARM, as Outlook writes it: none is none. */
	cr_assert_eq(alarm(a), alarm(b), "%s VALARM TRIGGER: %d vs %d s", uid,
	    alarm(a), alarm(b));

	cr_assert_eq(ra != NULL, rb != NULL, "%s: RRULE %s", uid,
	    ra != NULL ? "lost" : "added");
	if (ra == NULL)
		return;
	rule_eq(uid, icalproperty_get_rrule(ra), icalproperty_get_rrule(rb));
	ea = exdates(in, a);
	eb = exdates(out, b);
	whens_eq(&ea, &eb, uid, "EXDATE");
	free(ea.w);
	free(eb.w);
	end = when_prop(in, a, ICAL_DTSTART_PROPERTY).v + YEARS5;
	oa = occurrences(in, a, end);
	ob = occurrences(out, b, end);
	cr_assert_gt(oa.n, 1, "%s: a series of %zu", uid, oa.n);
	whens_eq(&oa, &ob, uid, "occurrence");
	free(oa.w);
	free(ob.w);
}

/* mkpst the fixture, run pstdedup on it, compare every event; returns
 * the number of VEVENTs compared. */
static size_t
roundtrip(const char *fixture)
{
	const char *srcdir;
	char *dir, *pst, *ics, *src, *data;
	struct side in = { "input", NULL }, out = { "output", NULL };
	icalcomponent *a, *b, *master;
	icalcompiter it;
	icalproperty *rp;
	struct tu_run r;
	size_t n = 0;

	dir = tu_tmpdir();
	pst = tu_path(dir, "rt.pst");
	tu_mkpst(fixture, pst);
	tu_pstdedup();
	srcdir = tu_env("TEST_SRCDIR");
	ics = tu_path(dir, "out.ics");
	tu_pstdedup_run(&r, dir, "-q", "-o", ics, pst, NULL);
	cr_assert_eq(r.status, 0, "%s: status %d: %s", fixture, r.status,
	    r.err);
	tu_run_free(&r);

	data = tu_path(srcdir, "data");
	src = tu_path(data, fixture);
	in.cal = tu_ics_load(NULL, src);
	out.cal = tu_ics_load(NULL, ics);

	cr_assert_eq(icalcomponent_count_components(in.cal,
	    ICAL_VEVENT_COMPONENT), icalcomponent_count_components(out.cal,
	    ICAL_VEVENT_COMPONENT), "%s: VEVENT count", fixture);
	/* An own iterator: the lookups below use the calendar's. */
	for (it = icalcomponent_begin_component(in.cal, ICAL_VEVENT_COMPONENT);
	    (a = icalcompiter_deref(&it)) != NULL; icalcompiter_next(&it)) {
		const char *uid = icalcomponent_get_uid(a);
		int64_t rid = NO_TIME;

		master = NULL;
		if ((rp = rid_prop(a)) != NULL) {
			rid = when_of(&in, rp, icaltime_null_time()).v;
			master = find_event(&in, uid, NO_TIME);
			cr_assert_not_null(master, "%s: exception without "
			    "master", uid);
		}
		b = find_event(&out, uid, rid);
		cr_assert_not_null(b, "%s: UID %s%s missing from the output",
		    fixture, uid, rp != NULL ? " (an exception)" : "");
		if (rp != NULL)
			when_eq(uid, "RECURRENCE-ID",
			    when_of(&in, rp, icaltime_null_time()),
			    when_of(&out, rid_prop(b), icaltime_null_time()));
		compare_event(&in, a, master, &out, b);
		n++;
	}
	icalcomponent_free(in.cal);
	icalcomponent_free(out.cal);
	tu_rmdir(dir);
	free(dir);
	free(pst);
	free(ics);
	free(src);
	free(data);
	return n;
}

Test(roundtrip, europe)
{
	cr_assert_eq(roundtrip("rt-europe.ics"), 11);
}

Test(roundtrip, eastern)
{
	cr_assert_eq(roundtrip("rt-eastern.ics"), 9);
}

Test(roundtrip, adelaide)
{
	cr_assert_eq(roundtrip("rt-adelaide.ics"), 5);
}

Test(roundtrip, india)
{
	cr_assert_eq(roundtrip("rt-india.ics"), 4);
}

Test(roundtrip, new_zealand)
{
	cr_assert_eq(roundtrip("rt-newzealand.ics"), 7);
}

Test(roundtrip, utc)
{
	cr_assert_eq(roundtrip("rt-utc.ics"), 4);
}
