/* test_e2e.c: pstdedup on a PST that mkpst builds from grouping.ics. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <ctype.h>
#include <dirent.h>
#include <libical/ical.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "testutil.h"
#include "e2e_util.h"

/* Every item kept by default, by SUMMARY as written in the fixture. */
static const struct {
	const char	*summary;
	size_t		 n;
} default_kept[] = {
	{ "Vendor demo", 1 },
	{ "lunch  with SAM", 1 },
	{ "Lunch with Sam", 1 },	/* a week later */
	{ "Quarterly planning", 1 },
	{ "Budget review", 2 },		/* conflict, undecided */
	{ "All hands", 1 },
	{ "Weekly sync", 2 },		/* series and lookalike single */
	{ "Project kickoff", 2 },
	{ "Yoga", 2 },
	{ "Standup", 2 },
	{ "Team offsite", 1 },
};

Test(e2e, default_groups_survivors_and_totals)
{
	struct e2e e;
	icalcomponent *ev;
	const json_t *skipped, *s, *groups;
	size_t i, nkept = 0;

	e2e_setup(&e);
	E2E_RUN(&e, "-q");
	cr_assert_eq(e.r.status, 0, "status %d: %s", e.r.status, e.r.err);
	cr_assert_not_null(e.rep);
	cr_assert_str_eq(tu_json_str(e.rep, "file"), "g.pst");
	check_totals(e.rep, 22, 16, 5, 4, 2, 1, 1);
	check_groups(e.rep, default_groups, NGROUPS);
	cr_assert_eq(tu_json_num(tu_json_get(tu_json_get(e.rep, "totals"),
	    "skipped_by_reason"), "meeting request"), 1);
	skipped = tu_json_arr(e.rep, "skipped");
	cr_assert_eq(json_array_size(skipped), 1);
	s = json_array_get(skipped, 0);
	cr_assert_str_eq(tu_json_str(s, "subject"), "Invitation: Offsite");
	cr_assert_str_eq(tu_json_str(s, "class"),
	    "IPM.Schedule.Meeting.Request");
	cr_assert_str_eq(tu_json_str(s, "reason"), "meeting request");
	cr_assert_str_eq(tu_json_str(s, "folder"), CALENDAR);
	cr_assert(json_is_boolean(tu_json_get(s, "damaged")));
	cr_assert(json_is_false(tu_json_get(s, "damaged")));

	/* Both conflicts are undecided (no revision data): flagged,
	 * listed first, the second copy under a new UID. */
	cr_assert_eq(tu_json_num(tu_json_get(e.rep, "totals"), "review"), 2);
	groups = tu_json_arr(e.rep, "groups");
	for (i = 0; i < 2; i++) {
		const json_t *g = json_array_get(groups, i), *also;

		cr_assert_str_eq(tu_json_str(g, "kind"), "conflict");
		cr_assert(json_is_boolean(tu_json_get(g, "review")));
		cr_assert(json_is_true(tu_json_get(g, "review")));
		cr_assert_str_eq(tu_json_str(g, "rule"), "undecided");
		also = tu_json_arr(g, "also_kept");
		cr_assert_eq(json_array_size(also), 1);
		cr_assert(strncmp(tu_json_str(json_array_get(also, 0),
		    "new_uid"), "pstdedup-copy-", 14) == 0);
	}
	cr_assert_str_eq(tu_json_str(json_array_get(groups, 2), "rule"),
	    "policy");

	/* The clean calendar: every kept item, no duplicate, the
	 * survivors' own content, the exception still attached. */
	cr_assert_not_null(e.clean);
	check_no_duplicate(e.clean);
	check_uids(e.clean, NULL);
	check_uids(e.removed, e.clean);
	for (i = 0; i < sizeof default_kept / sizeof default_kept[0]; i++) {
		cr_assert_eq(count_summary(e.clean, default_kept[i].summary),
		    default_kept[i].n, "\"%s\"", default_kept[i].summary);
		nkept += default_kept[i].n;
	}
	cr_assert_eq(count_events(e.clean, 0), nkept);
	cr_assert_eq(nkept, 16);
	cr_assert_eq(count_events(e.clean, 1), 1, "the Weekly sync exception");
	cr_assert_eq(count_summary(e.clean, "Invitation: Offsite"), 0);
	cr_assert_eq(count_summary(e.clean, "Old dentist appointment"), 0);
	ev = tu_ics_event(e.clean, "Vendor demo", 0);
	cr_assert_str_eq(icalcomponent_get_uid(ev), GOID "01");
	cr_assert_str_eq(icalcomponent_get_description(ev),
	    "Demo of the new release.");
	cr_assert_not_null(icalcomponent_get_first_component(ev,
	    ICAL_VALARM_COMPONENT), "the sync copy's reminder");
	ev = tu_ics_event(e.clean, "All hands", 0);
	cr_assert_str_eq(icalproperty_get_categories(
	    icalcomponent_get_first_property(ev, ICAL_CATEGORIES_PROPERTY)),
	    "Company", "the CRA copy (the complete one) survives");
	ev = tu_ics_event(e.clean, "Quarterly planning", 0);
	cr_assert_str_eq(icalcomponent_get_uid(ev), GOID "05");
	cr_assert_str_eq(icalcomponent_get_location(ev), "Room 1");

	/* The series' exception stays with its series, ungrouped. */
	ev = icalcomponent_get_first_component(e.clean, ICAL_VEVENT_COMPONENT);
	while (icalcomponent_get_first_property(ev,
	    ICAL_RECURRENCEID_PROPERTY) == NULL)
		ev = icalcomponent_get_next_component(e.clean,
		    ICAL_VEVENT_COMPONENT);
	cr_assert_str_eq(icalcomponent_get_uid(ev), GOID "04");
	cr_assert_eq(tu_utc_of(icalcomponent_get_dtstart(ev)), 1718798400,
	    "moved to 19 June 14:00 Berlin");

	/* The removed calendar: exactly the removed copies (two of the
	 * triple, so there UID and start repeat). */
	cr_assert_not_null(e.removed);
	cr_assert_eq(count_events(e.removed, 0), 5);
	cr_assert_eq(count_events(e.removed, 1), 0);
	ev = tu_ics_event(e.removed, "Vendor demo", 0);
	cr_assert(strncmp(icalcomponent_get_uid(ev), "pstdedup-removed-",
	    17) == 0, "%s", icalcomponent_get_uid(ev));
	cr_assert_not_null(strstr(icalcomponent_get_uid(ev), GOID "01"));
	cr_assert_null(icalcomponent_get_first_component(ev,
	    ICAL_VALARM_COMPONENT), "the CRA copy has no reminder");
	cr_assert_eq(count_summary(e.removed, "Lunch with Sam"), 1);
	ev = tu_ics_event(e.removed, "Lunch with Sam", 0);
	cr_assert_eq(tu_utc_of(icalcomponent_get_dtstart(ev)), 1716375600,
	    "the 22 May copy, not the near miss a week later");
	ev = tu_ics_event(e.removed, "Quarterly planning", 0);
	cr_assert(strncmp(icalcomponent_get_uid(ev), "pstdedup-removed-",
	    17) == 0, "%s", icalcomponent_get_uid(ev));
	cr_assert_not_null(strstr(icalcomponent_get_uid(ev), GOID "06"));
	cr_assert_str_eq(icalcomponent_get_location(ev), "Room 1 / Teams");
	cr_assert_eq(count_summary(e.removed, "All hands"), 2);
	for (ev = icalcomponent_get_first_component(e.removed,
	    ICAL_VEVENT_COMPONENT); ev != NULL;
	    ev = icalcomponent_get_next_component(e.removed,
	    ICAL_VEVENT_COMPONENT))
		cr_assert_null(icalcomponent_get_first_property(ev,
		    ICAL_CATEGORIES_PROPERTY), "\"%s\": the kept copy's "
		    "categories in the removed file",
		    icalcomponent_get_summary(ev));
	e2e_free(&e);
}
