/* report_html_fields.c: an appointment as the rows of a group's table
 * (report_html_int.h). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft.h"
#include "model.h"
#include "recur.h"
#include "report_html.h"
#include "report_html_int.h"
#include "tz.h"
#include "writer.h"
#include "xmalloc.h"

/* A growing string. */
struct hstr {
	char		*p;
	size_t		 len, cap;
};

/* An item's time zone, for showing local times. */
static void	 hs_printf(struct hstr *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	 hs_puts(struct hstr *, const char *);
static char	*hs_take(struct hstr *);
static void	 h_when(struct hstr *, int64_t, int);
static char	*h_time(const struct tz_zone *, int64_t, int);
static char	*h_utc(int64_t);
static char	*h_zone(const struct tz_zone *, const struct appt *);
static void	 h_person(struct hstr *, const char *, const char *);
static char	*h_organizer(const struct appt *);
static char	*h_people(const struct appt *);
static void	 h_local_min(struct hstr *, uint32_t, int);
static void	 h_days(struct hstr *, uint32_t);
static char	*h_recur(const struct appt *, struct recur *, int *);
static char	*h_exceptions(const struct appt *, const struct recur *, int);
static char	*h_body(const struct appt *);
static char	*h_attach(const struct appt *);
static char	*h_reminder(const struct appt *);
static char	*h_categories(const struct appt *);

const struct rh_field rh_fieldinfo[HF_COUNT] = {
	{ "subject",	"Subject",		1 },
	{ "start",	"Start",		1 },
	{ "end",	"End",			1 },
	{ "timezone",	"Time zone",		1 },
	{ "location",	"Location",		1 },
	{ "organizer",	"Organizer",		1 },
	{ "attendees",	"Attendees",		1 },
	{ "recurrence",	"Recurrence",		1 },
	{ "exceptions",	"Exceptions",		1 },
	{ "body",	"Body",			1 },
	{ "attachments", "Attachments",		1 },
	{ "reminder",	"Reminder",		1 },
	{ "categories",	"Categories",		1 },
	{ "creator",	"Created by",		1 },
	{ "modifier",	"Last modified by",	1 },
	{ "created",	"Created",		1 },
	{ "modified",	"Modified",		1 },
	{ "sequence",	"Sequence",		1 },
	{ "folder",	"Folder",		1 },
	/* Every copy has its own: a difference says nothing. */
	{ "uid",	"UID written",		0 },
	{ "id",		"Item id",		0 }
};

static const char *const h_wday[] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};
static const char *const h_wday_long[] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	"Saturday"
};
const char *const rh_mon[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec"
};
static const char *const h_mon_long[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

static void
hs_printf(struct hstr *s, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (s->len + (size_t)n + 1 > s->cap) {
		s->cap = (s->len + (size_t)n + 1) * 2;
		s->p = xreallocarray(s->p, s->cap, 1);
	}
	va_start(ap, fmt);
	vsnprintf(s->p + s->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	s->len += (size_t)n;
}

static void
hs_puts(struct hstr *s, const char *text)
{
	hs_printf(s, "%s", text);
}

/* The string built, owned by the caller; NULL when nothing was put. */
static char *
hs_take(struct hstr *s)
{
	char	*p = s->p;

	s->p = NULL;
	s->len = s->cap = 0;
	return p;
}

/* FILETIME -> date and time of day (proleptic Gregorian). */
void
rh_civil(int64_t ft, int *y, int *mo, int *d, int *wd, int *h, int *mi)
{
	const int64_t	day = 86400LL * FT_SEC;
	int64_t		days, rest;

	days = ft / day;
	rest = ft % day;
	if (rest < 0) {
		rest += day;
		days--;
	}
	ft_civil_from_days(days, y, mo, d);
	*wd = tz_weekday(days);
	*h = (int)(rest / (3600LL * FT_SEC));
	*mi = (int)(rest / (60LL * FT_SEC) % 60);
}

/* "Tue 5 Mar 2024 10:00", or without the time. */
static void
h_when(struct hstr *s, int64_t ft, int with_time)
{
	int	y, mo, d, wd, h, mi;

	rh_civil(ft, &y, &mo, &d, &wd, &h, &mi);
	hs_printf(s, "%s %d %s %d", h_wday[wd], d, rh_mon[mo - 1], y);
	if (with_time)
		hs_printf(s, " %02d:%02d", h, mi);
}

/* A start or end: local time in the item's zone, and UTC. */
static char *
h_time(const struct tz_zone *z, int64_t utc, int all_day)
{
	struct hstr	s = { 0 };
	int64_t		local;
	int		y, mo, d, wd, h, mi;

	if (utc == APPT_NOTIME)
		return NULL;
	if (z->has_def)
		local = tz_def_utc_to_local(&z->def, utc);
	else if (z->has_reg)
		local = tz_utc_to_local(&z->reg, utc);
	else
		local = utc;
	if (all_day == 1) {
		h_when(&s, local, 0);
		hs_puts(&s, ", all day");
		return hs_take(&s);
	}
	h_when(&s, local, 1);
	if (!z->has_def && !z->has_reg)
		hs_puts(&s, " UTC");
	else {
		rh_civil(utc, &y, &mo, &d, &wd, &h, &mi);
		if (local / (86400LL * FT_SEC) !=
		    utc / (86400LL * FT_SEC))
			hs_printf(&s, " (%s %d %s %02d:%02d UTC)", h_wday[wd],
			    d, rh_mon[mo - 1], h, mi);
		else
			hs_printf(&s, " (%02d:%02d UTC)", h, mi);
	}
	return hs_take(&s);
}

static char *
h_utc(int64_t ft)
{
	struct hstr	s = { 0 };

	if (ft == APPT_NOTIME)
		return NULL;
	h_when(&s, ft, 1);
	hs_puts(&s, " UTC");
	return hs_take(&s);
}

static char *
h_zone(const struct tz_zone *z, const struct appt *a)
{
	struct hstr	 s = { 0 };
	const char	*key = NULL;

	if (z->has_def && z->def.keyname != NULL && *z->def.keyname != '\0')
		key = z->def.keyname;
	if (key != NULL)
		hs_puts(&s, key);
	else if (a->tz_desc != NULL && *a->tz_desc != '\0')
		hs_puts(&s, a->tz_desc);
	if (s.p == NULL && (z->has_def || z->has_reg))
		hs_puts(&s, "unnamed zone");
	return hs_take(&s);
}

/* "Name <mail>" or either; NULL when neither. */
static void
h_person(struct hstr *s, const char *name, const char *email)
{
	if (name != NULL && *name != '\0') {
		hs_puts(s, name);
		if (email != NULL && *email != '\0' &&
		    strcmp(name, email) != 0)
			hs_printf(s, " <%s>", email);
	} else if (email != NULL && *email != '\0')
		hs_puts(s, email);
	else
		hs_puts(s, "(no name)");
}

static char *
h_organizer(const struct appt *a)
{
	struct hstr	s = { 0 };

	if ((a->org_name == NULL || *a->org_name == '\0') &&
	    (a->org_email == NULL || *a->org_email == '\0'))
		return NULL;
	h_person(&s, a->org_name, a->org_email);
	return hs_take(&s);
}

/* One line per attendee: who, role, response (PidTagRecipientTrack-
 * Status). */
static char *
h_people(const struct appt *a)
{
	static const char *const resp[] = {
		"no response", "organizer", "tentative", "accepted",
		"declined", "not responded"
	};
	const struct appt_person	*r;
	struct hstr			 s = { 0 };
	size_t				 i;

	for (i = 0; i < a->nrcpts; i++) {
		r = &a->rcpts[i];
		/* The organizer has its own row. */
		if ((r->flags != APPT_ABSENT && (r->flags &
		    (APPT_RCPT_EXC_DELETED | APPT_RCPT_ORGANIZER))) ||
		    r->track_status == 1)
			continue;
		if (s.p != NULL)
			hs_puts(&s, "\n");
		h_person(&s, r->name, r->email);
		if (r->type == 2)
			hs_puts(&s, " (optional)");
		else if (r->type == 3)
			hs_puts(&s, " (resource)");
		if (r->track_status >= 0 && r->track_status <= 5)
			hs_printf(&s, ": %s", resp[r->track_status]);
	}
	return hs_take(&s);
}

/* Local minutes since 1601 as a date, with the time of day. */
static void
h_local_min(struct hstr *s, uint32_t min, int with_time)
{
	h_when(s, recur_min_to_ft(min), with_time);
}

/* "Tuesday and Thursday" from a day mask (bit 0 Sunday). */
static void
h_days(struct hstr *s, uint32_t mask)
{
	int	i, n = 0, k = 0;

	if ((mask & 0x7f) == 0x3e) {
		hs_puts(s, "weekdays");
		return;
	}
	for (i = 0; i < 7; i++)
		n += (mask >> i) & 1;
	for (i = 0; i < 7; i++) {
		if (!((mask >> i) & 1))
			continue;
		if (k > 0)
			hs_puts(s, k == n - 1 ? " and " : ", ");
		hs_puts(s, h_wday_long[i]);
		k++;
	}
	if (n == 0)
		hs_puts(s, "no day");
}

/* The pattern in words: "every week on Tuesday, 10:00-11:00, from Tue
 * 5 Mar 2024 until Tue 25 Jun 2024". *ok: decoded into r (recur_free()
 * it then). NULL for a single appointment. */
static char *
h_recur(const struct appt *a, struct recur *r, int *ok)
{
	static const char *const nth[] = {
		"", "first", "second", "third", "fourth", "last"
	};
	struct hstr	 s = { 0 };
	char		*cause = NULL;
	uint32_t	 n;
	int		 y, mo, d, wd, h, mi;

	*ok = 0;
	if (a->recur.data == NULL)
		return a->recurring == 1 ? xstrdup("recurring, but no pattern "
		    "stored") : NULL;
	memset(r, 0, sizeof *r);
	if (recur_decode(a->recur.data, a->recur.len, r, &cause) != 0) {
		hs_printf(&s, "pattern not decoded: %s", cause);
		free(cause);
		return hs_take(&s);
	}
	*ok = 1;
	if (r->cal_type != 0 || !recur_is_gregorian(r))
		hs_printf(&s, "(calendar type %u, pattern type 0x%x) ",
		    r->cal_type, r->pattern);
	n = r->period;
	rh_civil(recur_min_to_ft(r->start_date), &y, &mo, &d, &wd, &h, &mi);
	switch (r->freq) {
	case RECUR_FREQ_DAILY:
		n /= 1440;
		if (n <= 1)
			hs_puts(&s, "every day");
		else
			hs_printf(&s, "every %u days", n);
		break;
	case RECUR_FREQ_WEEKLY:
		if (n <= 1)
			hs_puts(&s, "every week on ");
		else
			hs_printf(&s, "every %u weeks on ", n);
		h_days(&s, r->day_mask);
		break;
	case RECUR_FREQ_MONTHLY:
	case RECUR_FREQ_YEARLY:
		if (n != 0 && n % 12 == 0) {
			if (n == 12)
				hs_puts(&s, "every year");
			else
				hs_printf(&s, "every %u years", n / 12);
		} else if (n <= 1)
			hs_puts(&s, "every month");
		else
			hs_printf(&s, "every %u months", n);
		if (r->pattern == RECUR_PAT_MONTHNTH ||
		    r->pattern == RECUR_PAT_HJMONTHNTH) {
			hs_printf(&s, " on the %s ", r->nth <= 5 ?
			    nth[r->nth] : "?");
			h_days(&s, r->day_mask);
		} else if (r->pattern == RECUR_PAT_MONTHEND ||
		    r->pattern == RECUR_PAT_HJMONTHEND)
			hs_puts(&s, " on the last day");
		else
			hs_printf(&s, " on day %u", r->day_of_month);
		if (n != 0 && n % 12 == 0 && mo >= 1 && mo <= 12)
			hs_printf(&s, " of %s", h_mon_long[mo - 1]);
		break;
	default:
		hs_printf(&s, "frequency 0x%x", r->freq);
		break;
	}
	if (a->all_day == 1)
		hs_puts(&s, ", all day");
	else
		hs_printf(&s, ", %02u:%02u\u2013%02u:%02u",
		    r->start_offset / 60 % 24, r->start_offset % 60,
		    r->end_offset / 60 % 24, r->end_offset % 60);
	hs_puts(&s, ", from ");
	h_local_min(&s, r->start_date, 0);
	if (r->end_type == RECUR_END_DATE) {
		hs_puts(&s, " until ");
		h_local_min(&s, r->end_date, 0);
	} else if (r->end_type == RECUR_END_COUNT)
		hs_printf(&s, ", %u %s", r->count, r->count == 1 ?
		    "time" : "times");
	else
		hs_puts(&s, ", no end");
	return hs_take(&s);
}

/* Deleted and changed occurrences, one a line, the first few. */
static char *
h_exceptions(const struct appt *a, const struct recur *r, int ok)
{
	const struct recur_exception	*e;
	struct hstr			 s = { 0 };
	uint32_t			*ex;
	size_t				 i, nex;
	const size_t			 most = 12;

	if (!ok) {
		if (a->nexcs == 0)
			return NULL;
		hs_printf(&s, "%zu changed %s (pattern unreadable)", a->nexcs,
		    a->nexcs == 1 ? "occurrence" : "occurrences");
		return hs_take(&s);
	}
	ex = recur_exdates(r, &nex);
	for (i = 0; i < nex && i < most; i++) {
		if (s.p != NULL)
			hs_puts(&s, "\n");
		hs_puts(&s, "deleted ");
		h_local_min(&s, ex[i], 0);
	}
	if (nex > most)
		hs_printf(&s, "\nand %zu more deleted", nex - most);
	free(ex);
	for (i = 0; i < r->nexcs && i < most; i++) {
		e = &r->excs[i];
		if (s.p != NULL)
			hs_puts(&s, "\n");
		hs_puts(&s, "moved ");
		h_local_min(&s, e->orig_start, 0);
		hs_puts(&s, " \u2192 ");
		h_local_min(&s, e->start, 1);
		hs_printf(&s, "\u2013%02u:%02u", e->end / 60 % 24,
		    e->end % 60);
		if ((e->flags & RECUR_ARO_SUBJECT) && e->subject != NULL)
			hs_printf(&s, ", subject \u201c%s\u201d", e->subject);
		if ((e->flags & RECUR_ARO_LOCATION) && e->location != NULL)
			hs_printf(&s, ", location \u201c%s\u201d",
			    e->location);
	}
	if (r->nexcs > most)
		hs_printf(&s, "\nand %zu more changed", r->nexcs - most);
	if (s.p == NULL)
		return xstrdup("none");
	return hs_take(&s);
}

static char *
h_body(const struct appt *a)
{
	struct hstr	s = { 0 };
	size_t		body = 0, html = 0, rtf = 0;
	int		hb, hh, hr;

	if (a->spooled) {
		hb = a->body_at.present;
		body = a->body_at.len;
		hh = a->html_at.present;
		html = a->html_at.len;
		hr = a->rtf_at.present;
		rtf = a->rtf_at.len;
	} else {
		if ((hb = a->body != NULL))
			body = strlen(a->body);
		if ((hh = a->html != NULL))
			html = strlen(a->html);
		if ((hr = a->rtf.data != NULL))
			rtf = a->rtf.len;
	}
	if (hb)
		hs_printf(&s, "text %zu %s", body, body == 1 ? "byte" :
		    "bytes");
	if (hh)
		hs_printf(&s, "%sHTML %zu %s", s.p != NULL ? ", " : "", html,
		    html == 1 ? "byte" : "bytes");
	if (hr)
		hs_printf(&s, "%sRTF %zu %s", s.p != NULL ? ", " : "", rtf,
		    rtf == 1 ? "byte" : "bytes");
	if (s.p == NULL)
		return xstrdup("none");
	return hs_take(&s);
}

static char *
h_attach(const struct appt *a)
{
	struct hstr	s = { 0 };
	size_t		i;

	if (a->nattach == 0)
		return NULL;
	for (i = 0; i < a->nattach; i++) {
		if (s.p != NULL)
			hs_puts(&s, "\n");
		hs_puts(&s, a->attachs[i].name != NULL ? a->attachs[i].name :
		    "(no name)");
		if (a->attachs[i].embedded)
			hs_puts(&s, " (message)");
		else
			hs_printf(&s, " (%zu bytes)", a->attachs[i].data.len);
	}
	return hs_take(&s);
}

static char *
h_reminder(const struct appt *a)
{
	struct hstr	s = { 0 };
	int32_t		m = a->reminder_min;

	if (a->reminder_set == APPT_ABSENT)
		return NULL;
	if (a->reminder_set == 0)
		return xstrdup("off");
	if (m == APPT_ABSENT)
		return xstrdup("on");
	if (m != 0 && m % 1440 == 0)
		hs_printf(&s, "%" PRId32 " %s before", m / 1440,
		    m == 1440 ? "day" : "days");
	else if (m != 0 && m % 60 == 0)
		hs_printf(&s, "%" PRId32 " %s before", m / 60,
		    m == 60 ? "hour" : "hours");
	else
		hs_printf(&s, "%" PRId32 " %s before", m, m == 1 ? "minute" :
		    "minutes");
	return hs_take(&s);
}

static char *
h_categories(const struct appt *a)
{
	struct hstr	s = { 0 };
	size_t		i;

	for (i = 0; i < a->ncategories; i++)
		hs_printf(&s, "%s%s", i != 0 ? ", " : "", a->categories[i]);
	return hs_take(&s);
}

/* Every row's text for one copy; NULL: absent. */
void
rh_fields(const struct appt *a, char **v)
{
	struct tz_zone	 z;
	struct recur	 r;
	struct hstr	 s = { 0 };
	char		*uid;
	int		 ok;

	/* The TZDEFINITION the start was shown in, else the TZREG. */
	tz_zone_load(&z, a->tzdef_start.data, a->tzdef_start.len,
	    a->tz_struct.data, a->tz_struct.len);
	v[HF_SUBJECT] = a->subject != NULL ? xstrdup(a->subject) : NULL;
	v[HF_START] = h_time(&z, a->start, a->all_day);
	v[HF_END] = h_time(&z, a->end, a->all_day);
	v[HF_TZ] = h_zone(&z, a);
	v[HF_LOCATION] = a->location != NULL ? xstrdup(a->location) : NULL;
	v[HF_ORGANIZER] = h_organizer(a);
	v[HF_ATTENDEES] = h_people(a);
	v[HF_RECUR] = h_recur(a, &r, &ok);
	v[HF_EXCEPTIONS] = a->recur.data != NULL || a->nexcs != 0 ?
	    h_exceptions(a, &r, ok) : NULL;
	if (ok)
		recur_free(&r);
	v[HF_BODY] = h_body(a);
	v[HF_ATTACH] = h_attach(a);
	v[HF_REMINDER] = h_reminder(a);
	v[HF_CATEGORIES] = h_categories(a);
	v[HF_CREATOR] = a->creator != NULL ? xstrdup(a->creator) : NULL;
	v[HF_MODIFIER] = a->modifier != NULL ? xstrdup(a->modifier) : NULL;
	v[HF_CREATED] = h_utc(a->created);
	v[HF_MODIFIED] = h_utc(a->modified);
	v[HF_SEQUENCE] = NULL;
	if (a->sequence != APPT_ABSENT) {
		hs_printf(&s, "%" PRId32, a->sequence);
		v[HF_SEQUENCE] = hs_take(&s);
	}
	v[HF_FOLDER] = a->folder != NULL ? xstrdup(a->folder) : NULL;
	if (a->uid != NULL)
		hs_printf(&s, "%s (derived: no two copies share one)", a->uid);
	else if ((uid = writer_uid(a)) != NULL) {
		hs_puts(&s, uid);
		free(uid);
	}
	v[HF_UID] = hs_take(&s);
	hs_printf(&s, "0x%" PRIx64, a->id);
	v[HF_ID] = hs_take(&s);
	tz_zone_free(&z);
}

void
rh_fields_free(char **v)
{
	size_t	i;

	for (i = 0; i < HF_COUNT; i++)
		free(v[i]);
}

int
rh_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

size_t
report_html_field_count(void)
{
	return HF_COUNT;
}

const char *
report_html_field_key(size_t f)
{
	return f < HF_COUNT ? rh_fieldinfo[f].key : NULL;
}

void
report_html_fields(const struct appt *a, char **v)
{
	rh_fields(a, v);
}
