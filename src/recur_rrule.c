/* recur_rrule.c: a recurrence pattern as RRULE and EXDATE text
 * (recur_rrule(), recur_exdates() in recur.h). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft.h"
#include "model.h"
#include "recur.h"
#include "recur_int.h"
#include "tz.h"
#include "xmalloc.h"

static void	append(char **, size_t *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static void	append_days(char **, size_t *, uint32_t);

static const char *const day_names[7] = {
	"SU", "MO", "TU", "WE", "TH", "FR", "SA"
};

static void
append(char **s, size_t *len, const char *fmt, ...)
{
	va_list ap;
	char buf[128];
	int n;

	/* Only short RRULE parts pass through here. */
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof buf)
		return;
	*s = xreallocarray(*s, *len + (size_t)n + 1, 1);
	memcpy(*s + *len, buf, (size_t)n + 1);
	*len += (size_t)n;
}

static void
append_days(char **s, size_t *len, uint32_t mask)
{
	int i, first = 1;

	append(s, len, ";BYDAY=");
	for (i = 0; i < 7; i++) {
		if (mask & (1u << i)) {
			append(s, len, "%s%s", first ? "" : ",", day_names[i]);
			first = 0;
		}
	}
}

int
recur_rrule(const struct recur *rc, const struct tz_rule *rule, int all_day,
    char **out, char **cause)
{
	char *s = NULL;
	size_t len = 0;
	uint32_t interval, mday;
	int64_t until, days;
	int y, m, d, yearly;

	if (rec_check_pattern(rc, cause) != 0)
		return -1;
	s = xstrdup("");
	switch (rc->pattern) {
	case RECUR_PAT_DAY:
		append(&s, &len, "FREQ=DAILY;INTERVAL=%u",
		    rc->period / RECUR_MIN_PER_DAY);
		break;
	case RECUR_PAT_WEEK:
		append(&s, &len, "FREQ=WEEKLY;INTERVAL=%u", rc->period);
		append_days(&s, &len, rc->day_mask);
		append(&s, &len, ";WKST=%s", day_names[rc->first_dow]);
		break;
	default:
		yearly = rc->period % 12 == 0;
		interval = yearly ? rc->period / 12 : rc->period;
		append(&s, &len, "FREQ=%s;INTERVAL=%u",
		    yearly ? "YEARLY" : "MONTHLY", interval);
		if (yearly) {
			ft_civil_from_days(rc->start_date / RECUR_MIN_PER_DAY,
			    &y, &m, &d);
			append(&s, &len, ";BYMONTH=%d", m);
		}
		if (rc->pattern == RECUR_PAT_MONTHNTH) {
			append_days(&s, &len, rc->day_mask);
			append(&s, &len, ";BYSETPOS=%d",
			    rc->nth == 5 ? -1 : (int)rc->nth);
		} else {
			mday = rc->pattern == RECUR_PAT_MONTHEND ? 31 :
			    rc->day_of_month;
			append(&s, &len, ";BYMONTHDAY=%d",
			    mday == 31 ? -1 : (int)mday);
		}
		break;
	}
	switch (rc->end_type) {
	case RECUR_END_COUNT:
		append(&s, &len, ";COUNT=%u", rc->count);
		break;
	case RECUR_END_DATE:
		days = rc->end_date / RECUR_MIN_PER_DAY;
		if (all_day) {
			ft_civil_from_days(days, &y, &m, &d);
			append(&s, &len, ";UNTIL=%04d%02d%02d", y, m, d);
			break;
		}
		until = recur_min_to_ft(rc->end_date) +
		    (int64_t)rc->start_offset * FT_MIN;
		if (rule != NULL)
			until = tz_local_to_utc(rule, until);
		until /= FT_MIN;	/* minutes, UTC */
		if (until < 0)
			until = 0;
		ft_civil_from_days(until / RECUR_MIN_PER_DAY, &y, &m, &d);
		append(&s, &len, ";UNTIL=%04d%02d%02dT%02d%02d00Z", y, m, d,
		    (int)(until % RECUR_MIN_PER_DAY / 60),
		    (int)(until % 60));
		break;
	}
	*out = s;
	return 0;
}

uint32_t *
recur_exdates(const struct recur *rc, size_t *n)
{
	uint32_t *v, day;
	size_t i, j, k = 0;
	int kept;

	*n = 0;
	if (rc->ndeleted == 0)
		return NULL;
	v = xcalloc(rc->ndeleted, sizeof *v);
	for (i = 0; i < rc->ndeleted; i++) {
		day = rc->deleted[i] / RECUR_MIN_PER_DAY;
		kept = 0;
		/* A deleted date that an exception replaces is no EXDATE. */
		for (j = 0; j < rc->nexcs && !kept; j++)
			if (rc->excs[j].orig_start / RECUR_MIN_PER_DAY == day)
				kept = 1;
		/* Exceptions missing from the blob: trust ModifiedInstances. */
		if (rc->nexcs < rc->nmodified)
			for (j = 0; j < rc->nmodified && !kept; j++)
				if (rc->modified[j] / RECUR_MIN_PER_DAY == day)
					kept = 1;
		if (kept)
			continue;
		if ((uint64_t)day * RECUR_MIN_PER_DAY + rc->start_offset >
		    UINT32_MAX)
			continue;
		v[k++] = day * RECUR_MIN_PER_DAY + rc->start_offset;
	}
	*n = k;
	if (k == 0) {
		free(v);
		return NULL;
	}
	return v;
}
