/* icsread.c: an .ics file into the appointment model, one event at a time. */
#include <stdarg.h>
#include <errno.h>
#include <libical/ical.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>
#include <xxhash.h>

#include "compat.h"
#include "ft.h"
#include "goid.h"
#include "icsread.h"
#include "icsread_int.h"
#include "model.h"
#include "recur.h"
#include "text.h"
#include "tz.h"
#include "xmalloc.h"

static const struct izone *zone_find(struct irs *, const char *);
static int	 get_time(struct irs *, icalproperty *, int64_t *, int *,
		    const struct izone **, char **);
static int	 on_calprop(void *, const char *, int, char **);
static int	 on_zone(void *, const char *, int, char **);
static int	 on_other(void *, const char *, int, char **);
static int	 on_event(void *, const char *, int, char **);
static int	 finish(struct irs *);
static void	 ics_zonedir(void);

static pthread_once_t	 ics_zonedir_once = PTHREAD_ONCE_INIT;

/* Where libical finds the Olson zones a file names without VTIMEZONE:
 * the system's zoneinfo, or on Windows the copy beside the exe. */
static void
ics_zonedir(void)
{
	char	*dir;

	if ((dir = compat_zonedir()) != NULL) {
		set_zone_directory(dir);
		free(dir);
	}
}

static const struct izone *
zone_find(struct irs *rs, const char *tzid)
{
	size_t	i;

	for (i = rs->nzones; i > 0; i--) {
		if (strcmp(rs->zones[i - 1].tzid, tzid) == 0)
			return &rs->zones[i - 1];
	}
	return NULL;
}

/* A DTSTART, DTEND, RECURRENCE-ID or EXDATE value: UTC FILETIME, whether
 * a date, and its zone (NULL for UTC, floating and dates). */
static int
get_time_value(struct irs *rs, icalproperty *p, struct icaltimetype t,
    int64_t *ft, int *is_date, const struct izone **zp, char **why)
{
	icalparameter		*par;
	const char		*tzid = NULL;
	const struct izone	*z = NULL;
	icaltimezone		*bz;
	struct icaltimetype	 u;

	if (icaltime_is_null_time(t) || t.year < 1601 || t.year > 9999 ||
	    t.month < 1 || t.month > 12 || t.day < 1 || t.day > 31 ||
	    t.hour < 0 || t.hour > 23 || t.minute < 0 || t.minute > 59 ||
	    t.second < 0 || t.second > 60) {
		xasprintf(why, "not a date or time");
		return -1;
	}
	*is_date = t.is_date;
	*ft = ft_from_civil(t.year, t.month, t.day, t.is_date ? 0 : t.hour,
	    t.is_date ? 0 : t.minute, t.is_date ? 0 : t.second);
	if (zp != NULL)
		*zp = NULL;
	if (t.is_date || icaltime_is_utc(t))
		return 0;
	if ((par = icalproperty_get_first_parameter(p,
	    ICAL_TZID_PARAMETER)) != NULL)
		tzid = icalparameter_get_tzid(par);
	if (tzid == NULL || *tzid == '\0')
		return 0;	/* floating: taken as UTC */
	if ((z = zone_find(rs, tzid)) != NULL && z->bad != NULL) {
		xasprintf(why, "TZID %s: %s", tzid, z->bad);
		return -1;
	}
	if (z != NULL) {
		*ft = tz_local_to_utc(&z->rule, *ft);
		if (zp != NULL)
			*zp = z;
		return 0;
	}
	/* An Olson name without VTIMEZONE: libical's own zone. */
	if ((bz = icaltimezone_get_builtin_timezone(tzid)) == NULL) {
		xasprintf(why, "TZID %s has no VTIMEZONE", tzid);
		return -1;
	}
	t.zone = bz;
	u = icaltime_convert_to_zone(t, icaltimezone_get_utc_timezone());
	*ft = ft_from_civil(u.year, u.month, u.day, u.hour, u.minute,
	    u.second);
	return 0;
}

static int
get_time(struct irs *rs, icalproperty *p, int64_t *ft, int *is_date,
    const struct izone **zp, char **why)
{
	return get_time_value(rs, p,
	    icalvalue_get_datetimedate(icalproperty_get_value(p)), ft,
	    is_date, zp, why);
}

void
ics_skip_add(struct irs *rs, const char *subject, const char *uid, int damaged,
    const char *fmt, ...)
{
	struct reader_result	*res = rs->res;
	struct reader_skip	*s;
	va_list			 ap;
	char			*why;

	va_start(ap, fmt);
	if (vasprintf(&why, fmt, ap) == -1)
		why = xstrdup("cannot be read");
	va_end(ap);
	res->skips = xreallocarray(res->skips, res->nskips + 1,
	    sizeof *res->skips);
	s = &res->skips[res->nskips++];
	memset(s, 0, sizeof *s);
	s->id = rs->nevents;
	s->folder = xstrdup(rs->calname);
	s->msgclass = xstrdup("VEVENT");
	s->subject = ics_xtext(subject != NULL ? subject : uid);
	s->reason = text_clean(why);
	s->damaged = damaged;
}

static void
zone_blobs(struct appt *a, const struct izone *z, int recurring)
{
	appt_blob_set(&a->tzdef_start, z->def.data, z->def.len);
	appt_blob_set(&a->tz_struct, z->reg.data, z->reg.len);
	a->tz_desc = xstrdup(z->tzid);
	if (recurring)
		appt_blob_set(&a->tzdef_recur, z->rdef.data, z->rdef.len);
}

static int
on_calprop(void *arg, const char *line, int where, char **cause)
{
	struct irs	*rs = arg;

	const char	*v;
	char		*o;

	if (strncasecmp(line, "X-WR-CALNAME", 12) != 0 ||
	    (line[12] != ':' && line[12] != ';') ||
	    (v = strchr(line, ':')) == NULL || v[1] == '\0')
		return 0;
	free(rs->xname);
	rs->xname = o = xmalloc(strlen(v));
	for (v++; *v != '\0'; v++) {
		if (*v == '\\' && v[1] != '\0') {
			v++;
			*o++ = *v == 'n' || *v == 'N' ? ' ' : *v;
		} else
			*o++ = *v;
	}
	*o = '\0';
	rs->xname = text_clean(rs->xname);
	return 0;
}

static int
on_zone(void *arg, const char *text, int where, char **cause)
{
	struct irs	*rs = arg;
	struct izone	*z;
	struct tz	 def;
	struct tz_rule	 r;
	char		*tzid, *why = NULL;
	uint8_t		 reg[48];

	if (icsread_zone(text, 0, &tzid, &r, &why) != 0) {
		/* Events that name it are skipped with the reason. */
		if (tzid != NULL) {
			rs->zones = xreallocarray(rs->zones, rs->nzones + 1,
			    sizeof *rs->zones);
			z = &rs->zones[rs->nzones++];
			memset(z, 0, sizeof *z);
			z->tzid = tzid;
			xasprintf(&z->bad, "line %d: %s", where, why);
		}
		free(why);
		return 0;
	}
	rs->zones = xreallocarray(rs->zones, rs->nzones + 1, sizeof *rs->zones);
	z = &rs->zones[rs->nzones++];
	memset(z, 0, sizeof *z);
	z->tzid = tzid;
	z->rule = r;
	tz_encode_reg(&r, reg);
	appt_blob_set(&z->reg, reg, sizeof reg);
	r.year = 1601;
	def.keyname = tzid;
	def.rules = &r;
	def.nrules = 1;
	r.flags = TZ_RULE_EFFECTIVE;
	if (tz_encode_def(&def, &z->def.data, &z->def.len, &why) != 0) {
		free(why);
		why = NULL;
	}
	r.flags = TZ_RULE_EFFECTIVE | TZ_RULE_RECUR_CURRENT;
	if (tz_encode_def(&def, &z->rdef.data, &z->rdef.len, &why) != 0)
		free(why);
	return 0;
}

static int
on_other(void *arg, const char *name, int where, char **cause)
{
	struct irs	*rs = arg;

	ics_skip_add(rs, NULL, NULL, 0, "line %d: %s is not a calendar item",
	    where, name);
	return 0;
}

/* One VEVENT while it is read. */
struct ievent {
	icalcomponent		*ev;
	const char		*text;		/* as in the file */
	int			 where;		/* its line */
	const char		*uid;		/* NULL: none */
	const char		*subject;
	const struct izone	*zs;		/* DTSTART's zone, or NULL */
	int64_t			 start, end;	/* UTC */
	int			 is_date;
};

/* DTSTART and DTEND (or DURATION): 0, or 1 when the event was skipped. */
static int
ev_times(struct irs *rs, struct ievent *e)
{
	icalproperty		*p;
	struct icaldurationtype	 dur;
	char			*why = NULL;
	int			 d2;

	if ((p = icalcomponent_get_first_property(e->ev,
	    ICAL_DTSTART_PROPERTY)) == NULL) {
		ics_skip_add(rs, e->subject, e->uid, 1, "line %d: no DTSTART",
		    e->where);
		return 1;
	}
	if (get_time(rs, p, &e->start, &e->is_date, &e->zs, &why) != 0) {
		ics_skip_add(rs, e->subject, e->uid, 1, "line %d: DTSTART: %s",
		    e->where, why);
		free(why);
		return 1;
	}
	if ((p = icalcomponent_get_first_property(e->ev,
	    ICAL_DTEND_PROPERTY)) != NULL) {
		if (get_time(rs, p, &e->end, &d2, NULL, &why) != 0) {
			ics_skip_add(rs, e->subject, e->uid, 1, "line %d: "
			    "DTEND: %s", e->where, why);
			free(why);
			return 1;
		}
	} else if ((p = icalcomponent_get_first_property(e->ev,
	    ICAL_DURATION_PROPERTY)) != NULL) {
		dur = icalproperty_get_duration(p);
		e->end = e->start + (int64_t)icaldurationtype_as_int(dur) *
		    FT_SEC;
	} else
		e->end = e->is_date ? e->start + FT_DAY : e->start;
	if (e->end < e->start)
		e->end = e->start;
	return 0;
}

/* An override (p its RECURRENCE-ID), owned from here on: to its
 * series, now or when the series comes. 0, or -1 with *cause when the
 * spool failed. */
static int
ev_override(struct irs *rs, const struct ievent *e, icalproperty *p,
    struct appt *a, char **cause)
{
	struct iseries	*s;
	char		*why = NULL;
	int64_t		 rid;
	int		 d2;

	if (e->uid == NULL || get_time(rs, p, &rid, &d2, NULL, &why) != 0) {
		ics_skip_add(rs, e->subject, e->uid, 1, "line %d: "
		    "RECURRENCE-ID: %s", e->where, e->uid == NULL ? "no UID" :
		    why);
		free(why);
		appt_free(a);
		return 0;
	}
	/* Its own body, even when the same as the series'. */
	a->exc_body = a->body != NULL || a->html != NULL;
	if (rs->opts != NULL && rs->opts->spool != NULL &&
	    appt_spool(a, rs->opts->spool, cause) != 0) {
		appt_free(a);
		return -1;
	}
	if ((s = ics_series_find(rs, e->uid)) != NULL)
		ics_series_attach(rs, s, a, rid);
	else {
		rs->pend = xreallocarray(rs->pend, rs->npend + 1,
		    sizeof *rs->pend);
		rs->pend[rs->npend].uid = xstrdup(e->uid);
		rs->pend[rs->npend].item = a;
		rs->pend[rs->npend++].rid = rid;
	}
	return 0;
}

/* The EXDATEs of a series as local minutes (*exdel allocated): 0, or 1
 * when the event was skipped. */
static int
ev_exdates(struct irs *rs, const struct ievent *e, uint32_t **exdel,
    size_t *nexdel)
{
	icalproperty	*p;
	char		*why = NULL;
	int64_t		 ex;
	int		 d2;

	for (p = icalcomponent_get_first_property(e->ev,
	    ICAL_EXDATE_PROPERTY); p != NULL;
	    p = icalcomponent_get_next_property(e->ev,
	    ICAL_EXDATE_PROPERTY)) {
		if (get_time(rs, p, &ex, &d2, NULL, &why) != 0) {
			ics_skip_add(rs, e->subject, e->uid, 1, "line %d: "
			    "EXDATE: %s", e->where, why);
			free(why);
			return 1;
		}
		*exdel = xreallocarray(*exdel, *nexdel + 1, sizeof **exdel);
		(*exdel)[(*nexdel)++] = recur_midnight(recur_ft_to_min(
		    d2 ? ex : ics_to_local(e->zs != NULL ? &e->zs->rule :
		    NULL, ex)));
	}
	return 0;
}

/* A recurring master (p its RRULE) as an open series of rs: 0, or 1
 * when the event was skipped. */
static int
ev_series(struct irs *rs, const struct ievent *e, icalproperty *p,
    struct appt *a)
{
	const struct izone	*zs = e->zs;
	const struct tz_rule	*uz;
	struct iseries		*s;
	struct recur		 pat;
	char			*why = NULL, *rrule;
	uint32_t		*exdel = NULL;
	size_t			 nexdel = 0;

	if (icalcomponent_count_properties(e->ev, ICAL_RRULE_PROPERTY) > 1) {
		ics_skip_add(rs, e->subject, e->uid, 0, "line %d: several "
		    "RRULEs: Outlook has one pattern", e->where);
		return 1;
	}
	rrule = icalproperty_get_value_as_string_r(p);
	/* An all-day series' UTC UNTIL is the local midnight of its last
	 * day: read it in the file's zone (Outlook's). */
	uz = zs != NULL ? &zs->rule : NULL;
	if (e->is_date && uz == NULL && rs->nzones > 0 &&
	    rs->zones[rs->nzones - 1].bad == NULL)
		uz = &rs->zones[rs->nzones - 1].rule;
	if (rrule == NULL || icsread_rrule(rrule, zs != NULL ? &zs->rule :
	    NULL, uz, e->start, e->end, 0, &pat, &why) != 0) {
		ics_skip_add(rs, e->subject, e->uid, 0, "line %d: RRULE: %s",
		    e->where, why != NULL ? why : "cannot be read");
		free(rrule);
		free(why);
		return 1;
	}
	free(rrule);
	if (ev_exdates(rs, e, &exdel, &nexdel) != 0) {
		free(exdel);
		return 1;
	}
	a->recurring = 1;
	if (e->uid == NULL) {
		/* Overrides need the UID: give it one now. */
		char	*u;

		xasprintf(&u, "%016llX%016llX",
		    (unsigned long long)XXH3_64bits(e->text, strlen(e->text)),
		    (unsigned long long)rs->nevents);
		goid_from_uid(u, &a->goid.data, &a->goid.len);
		appt_blob_set(&a->clean_goid, a->goid.data, a->goid.len);
		free(u);
	}
	rs->series = xreallocarray(rs->series, rs->nseries + 1,
	    sizeof *rs->series);
	s = &rs->series[rs->nseries++];
	memset(s, 0, sizeof *s);
	s->idx = rs->items.n;
	s->uid = xstrdup(e->uid != NULL ? e->uid : "");
	s->pat = pat;
	if (zs != NULL) {
		s->has_rule = 1;
		s->rule = zs->rule;
	}
	s->exdel = exdel;
	s->nexdel = nexdel;
	return 0;
}

/* The item of an event, its times and plain properties. */
static struct appt *
ev_item(struct irs *rs, const struct ievent *e)
{
	struct appt	*a;

	a = appt_new();
	a->id = rs->nevents;
	a->folder = xstrdup(rs->calname);
	a->msgclass = xstrdup("IPM.Appointment");
	a->in_calendar = 1;
	a->start = e->start;
	a->end = e->end;
	a->all_day = e->is_date ||
	    ics_x_bool(e->ev, "X-MICROSOFT-CDO-ALLDAYEVENT") == 1;
	a->busy = 2;
	a->reminder_set = 0;
	ics_common_props(e->ev, a);
	ics_restore_tail(&a->subject, e->text, "SUMMARY");
	ics_restore_tail(&a->location, e->text, "LOCATION");
	ics_restore_tail(&a->body, e->text, "DESCRIPTION");
	ics_attachments(rs, e->ev, a, e->where);
	if (e->uid != NULL) {
		goid_from_uid(e->uid, &a->goid.data, &a->goid.len);
		appt_blob_set(&a->clean_goid, a->goid.data, a->goid.len);
		if (a->clean_goid.len >= 20)
			memset(a->clean_goid.data + 16, 0, 4);
	}
	return a;
}

static int
on_event(void *arg, const char *text, int where, char **cause)
{
	struct irs		*rs = arg;
	struct ievent		 e;
	icalproperty		*p;
	struct appt		*a = NULL;
	int			 rv = 0;

	rs->nevents++;
	if (rs->opts != NULL && rs->opts->progress != NULL &&
	    rs->nevents % 256 == 0)
		rs->opts->progress(rs->opts->progress_arg, 1, rs->nevents);
	memset(&e, 0, sizeof e);
	e.text = text;
	e.where = where;
	e.ev = icalparser_parse_string(text);
	if (e.ev == NULL || icalcomponent_isa(e.ev) != ICAL_VEVENT_COMPONENT) {
		ics_skip_add(rs, NULL, NULL, 1, "line %d: the VEVENT cannot be "
		    "parsed", where);
		goto out;
	}
	e.uid = icalcomponent_get_uid(e.ev);
	if (e.uid != NULL && *e.uid == '\0')
		e.uid = NULL;
	e.subject = icalcomponent_get_summary(e.ev);
	if (ev_times(rs, &e) != 0)
		goto out;
	a = ev_item(rs, &e);
	if ((p = icalcomponent_get_first_property(e.ev,
	    ICAL_RECURRENCEID_PROPERTY)) != NULL) {
		rv = ev_override(rs, &e, p, a, cause);
		a = NULL;
		goto out;
	}
	if (e.zs != NULL)
		zone_blobs(a, e.zs, icalcomponent_get_first_property(e.ev,
		    ICAL_RRULE_PROPERTY) != NULL);
	if (icalcomponent_get_first_property(e.ev,
	    ICAL_RDATE_PROPERTY) != NULL) {
		ics_skip_add(rs, e.subject, e.uid, 0, "line %d: RDATE: Outlook "
		    "has no recurrence by a list of dates", where);
		goto out;
	}
	if ((p = icalcomponent_get_first_property(e.ev,
	    ICAL_RRULE_PROPERTY)) != NULL) {
		if (ev_series(rs, &e, p, a) != 0)
			goto out;
	} else if (icalcomponent_get_first_property(e.ev,
	    ICAL_EXDATE_PROPERTY) != NULL) {
		ics_skip_add(rs, e.subject, e.uid, 0, "line %d: EXDATE without "
		    "RRULE", where);
		goto out;
	}
	if (rs->opts != NULL && rs->opts->spool != NULL &&
	    appt_spool(a, rs->opts->spool, cause) != 0)
		rv = -1;
	else {
		appt_list_push(&rs->items, a);
		a = NULL;
	}
out:
	appt_free(a);
	if (e.ev != NULL)
		icalcomponent_free(e.ev);
	return rv;
}

static int
finish(struct irs *rs)
{
	struct reader_result	*res = rs->res;
	struct reader_folder	*f;
	struct iseries		*s;
	struct appt		*a;
	const char		*want, *last;
	char			*why = NULL, *dash = NULL;
	size_t			 i;

	for (i = 0; i < rs->npend; i++) {
		if ((s = ics_series_find(rs, rs->pend[i].uid)) != NULL)
			ics_series_attach(rs, s, rs->pend[i].item,
			    rs->pend[i].rid);
		else {
			ics_skip_add(rs, rs->pend[i].item->subject,
			    rs->pend[i].uid, 0, "RECURRENCE-ID without its "
			    "series in the file");
			appt_free(rs->pend[i].item);
		}
		free(rs->pend[i].uid);
	}
	rs->npend = 0;
	for (i = 0; i < rs->nseries; i++) {
		s = &rs->series[i];
		if (ics_series_blob(rs, s, &why) != 0) {
			a = rs->items.v[s->idx];
			ics_skip_add(rs, a->subject, s->uid, 0,
			    "recurrence: %s", why);
			free(why);
			why = NULL;
			appt_free(a);
			rs->items.v[s->idx] = NULL;
		}
	}
	/* "STORE - FOLDER" as the writer names a calendar: read back, the
	 * same name comes out. */
	res->folders = xcalloc(1, sizeof *res->folders);
	res->nfolders = 1;
	f = &res->folders[0];
	if (rs->xname != NULL && (dash = strstr(rs->xname, " - ")) != NULL &&
	    dash != rs->xname && dash[3] != '\0')
		res->store_name = xstrndup(rs->xname,
		    (size_t)(dash - rs->xname));
	else
		res->store_name = xstrdup(rs->calname);
	xasprintf(&res->top, "/%s", res->store_name);
	xasprintf(&f->path, "%s/%s", res->top, rs->xname == NULL ?
	    "Calendar" : dash != NULL && dash != rs->xname && dash[3] != '\0' ?
	    dash + 3 : rs->xname);
	for (i = 0; i < res->nskips; i++) {
		free(res->skips[i].folder);
		res->skips[i].folder = xstrdup(f->path);
	}
	/* -F: the folder's path below the root, or its last part. */
	f->selected = 1;
	if (rs->opts != NULL && rs->opts->folder != NULL) {
		want = rs->opts->folder + (*rs->opts->folder == '/');
		last = strrchr(f->path, '/') + 1;
		f->selected = strcasecmp(f->path + 1, want) == 0 ||
		    strcasecmp(last, want) == 0;
	}
	f->container_class = xstrdup("IPF.Appointment");
	f->is_calendar = 1;
	f->is_default = 1;
	f->first = 0;
	for (i = 0; i < rs->items.n; i++) {
		if ((a = rs->items.v[i]) == NULL)
			continue;
		f->nappts++;
		if (!f->selected) {
			res->left_out++;
			continue;
		}
		free(a->folder);
		a->folder = xstrdup(f->path);
		appt_list_push(&res->appts, a);
		rs->items.v[i] = NULL;
	}
	f->count = res->appts.n;
	return 0;
}

int
icsread_read(const char *path, const struct reader_opts *opts,
    struct reader_result *res, char **cause)
{
	struct icsread_chunker	 c;
	struct irs		 rs;
	FILE			*fp;
	const char		*base;
	char			*why = NULL;
	size_t			 i, len;
	int			 rv, error = READER_DATAERR;

	/* Before libical's first look at a zone, which fixes its list. */
	pthread_once(&ics_zonedir_once, ics_zonedir);
	memset(res, 0, sizeof *res);
	appt_list_init(&res->appts);
	*cause = NULL;
	if ((fp = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s", strerror(errno));
		return READER_NOINPUT;
	}
	memset(&rs, 0, sizeof rs);
	rs.path = path;
	rs.opts = opts;
	rs.res = res;
	appt_list_init(&rs.items);
	base = compat_lastsep(path) != NULL ? compat_lastsep(path) + 1 : path;
	len = strlen(base);
	if (len > 4 && strcasecmp(base + len - 4, ".ics") == 0)
		len -= 4;
	rs.calname = text_clean(xstrndup(base, len));
	if (*rs.calname == '\0') {
		free(rs.calname);
		rs.calname = xstrdup("Calendar");
	}
	if (opts != NULL && opts->progress != NULL)
		opts->progress(opts->progress_arg, 0, 0);
	memset(&c, 0, sizeof c);
	c.calprop = on_calprop;
	c.zone = on_zone;
	c.event = on_event;
	c.other = on_other;
	c.arg = &rs;
	c.limit = ICS_LIMIT;
	rv = icsread_chunks(fp, &c, &why);
	if (rv == -1 && why != NULL && rs.nevents == 0 && res->nskips == 0) {
		*cause = why;
		why = NULL;
		goto out;
	}
	if (rv != 0) {
		if (rs.nevents == 0 && rv == ICSREAD_TRUNCATED) {
			xasprintf(cause, "not an iCalendar file: %s", why);
			goto out;
		}
		/* Damage after some events: those come out. */
		if (*cause == NULL) {
			ics_skip_add(&rs, NULL, NULL, 1, "%s", why);
		} else {
			error = READER_IOERR;
			goto out;
		}
	}
	finish(&rs);
	if (opts != NULL && opts->progress != NULL)
		opts->progress(opts->progress_arg, 1, rs.nevents);
	error = 0;
out:
	free(why);
	fclose(fp);
	for (i = 0; i < rs.npend; i++) {
		free(rs.pend[i].uid);
		appt_free(rs.pend[i].item);
	}
	free(rs.pend);
	for (i = 0; i < rs.nseries; i++) {
		free(rs.series[i].uid);
		free(rs.series[i].exdel);
	}
	free(rs.series);
	for (i = 0; i < rs.nzones; i++) {
		free(rs.zones[i].tzid);
		free(rs.zones[i].bad);
		appt_blob_clear(&rs.zones[i].reg);
		appt_blob_clear(&rs.zones[i].def);
		appt_blob_clear(&rs.zones[i].rdef);
	}
	free(rs.zones);
	appt_list_free(&rs.items);
	free(rs.calname);
	free(rs.xname);
	if (error != 0)
		reader_result_free(res);
	return error;
}
