/*
 * fixture_int.h: what mkpst's fixture converter shares between its parts,
 * private to them. fixture_lex.c reads the text into components and
 * properties (an iCalendar lexer, with line numbers for messages);
 * fixture_value.c turns property values into times, zones, people,
 * alarms and raw properties; fixture.c turns components into struct
 * fixture_appt (exceptions joined to their masters) and runs the whole
 * conversion; fixture_pst.c writes a fixture_appt as PST messages.
 * A struct comp owns its properties and kids; a struct conv its zones.
 */

#ifndef FIXTURE_INT_H
#define FIXTURE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "fixture.h"
#include "model.h"
#include "tz.h"


struct param {
	char		*name;
	char		*value;		/* quotes removed */
};

struct cprop {
	char		*name;		/* upper-cased */
	struct param	*params;
	size_t		 nparams;
	char		*value;
	int		 line;
};

struct comp {
	char		*name;
	int		 line;
	struct cprop	*props;
	size_t		 nprops;
	struct comp	**kids;
	size_t		 nkids;
};

struct zone {
	char		*tzid;
	char		*desc;
	struct tz_rule	 rule;
};

struct conv {
	const char	*file;
	struct zone	*zones;
	size_t		 nzones;
};

struct ev {
	struct fixture_appt a;
	char		*uid;
	int		 is_exc;
	int64_t		 rid;
	int		 line;
	const struct zone *zone;
};

/* fixture_lex.c */
void	fx_comp_free(struct comp *c);
int	fx_err(struct conv *cv, int line, char **cause, const char *what,
	    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int	fx_parse_file(struct conv *cv, char *text, struct comp **out,
	    char **cause);
struct cprop *fx_prop_get(const struct comp *c, const char *name);
const char *fx_param_get(const struct cprop *p, const char *name);
char *fx_text_unescape(const char *s, const char **end, int list);
char *fx_prop_text(const struct comp *c, const char *name);
char *fx_comp_text(const struct comp *c);
char *fx_read_all(const char *path, size_t *lenp, char **cause);

/* fixture_value.c */
const struct zone *fx_zone_find(struct conv *cv, const char *tzid);
int	fx_parse_time_value(const char *s, size_t n, int64_t *ft,
	    int *is_date, int *utc);
int	fx_prop_time(struct conv *cv, const struct cprop *p, const char *val,
	    size_t n, const struct zone *dflt, int64_t *ft, int *is_date,
	    const struct zone **zused, char **cause);
int	fx_parse_vtimezone(struct conv *cv, const struct comp *c,
	    char **cause);
int	fx_prop_int(struct conv *cv, const struct cprop *p, long lo, long hi,
	    int32_t *v, char **cause);
int	fx_prop_utc(struct conv *cv, const struct cprop *p, int64_t *ft,
	    char **cause);
void	fx_parse_people(const struct comp *c, struct fixture_appt *a);
int	fx_parse_alarm(struct conv *cv, const struct comp *c, int *set,
	    int32_t *min, char **cause);
int	fx_busy_value(struct conv *cv, const struct comp *c, int32_t *busy,
	    const char *name, char **cause);
int	fx_parse_raw(struct conv *cv, const struct cprop *p,
	    struct fixture_raw *r, char **cause);
int	fx_make_rtf(struct conv *cv, const struct cprop *p,
	    struct fixture_appt *a, char **cause);
int	fx_parse_rrule(struct conv *cv, const struct cprop *p, struct ev *e,
	    char **cause);
int	fx_parse_goid_prop(struct conv *cv, const struct cprop *p,
	    uint8_t **b, size_t *len, char **cause);
int	fx_parse_broken(struct conv *cv, const struct cprop *p, int *broken,
	    char **cause);

#endif
