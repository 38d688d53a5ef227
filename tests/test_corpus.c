/* test_corpus.c: pstdedup against the real PST/OST corpus and its oracle. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <dirent.h>
#include <libical/ical.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testutil.h"
#include "corpus_util.h"

static int
is_pst(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && (strcmp(name + n - 4, ".pst") == 0 ||
	    strcmp(name + n - 4, ".ost") == 0);
}

static size_t
count_vevents(icalcomponent *cal, int masters)
{
	icalcomponent *ev;
	size_t n = 0;

	for (ev = icalcomponent_get_first_component(cal,
	    ICAL_VEVENT_COMPONENT); ev != NULL;
	    ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT))
		if (!masters || !has_prop(ev, ICAL_RECURRENCEID_PROPERTY))
			n++;
	return n;
}

Test(corpus, every_file)
{
	const char *dir = tu_corpus();
	struct dirent *de;
	struct result r;
	size_t nfiles = 0;
	DIR *d;

	cr_assert_not_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL) {
		if (!is_pst(de->d_name))
			continue;
		run(dir, de->d_name, NULL, &r);
		check_file(&r, 0);
		if (r.nrows == 0) {
			/* The negative files: calendars without items. */
			cr_assert_eq(r.t.read, 0, "%s", r.file);
			cr_assert_eq(count_vevents(r.cal, 0), 0, "%s", r.file);
		}
		result_free(&r);
		nfiles++;
	}
	closedir(d);
	cr_assert_geq(nfiles, 11, "only %zu PST/OST files in the corpus",
	    nfiles);
}
