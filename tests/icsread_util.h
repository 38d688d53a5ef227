/* icsread_util.h: what the icsread test programs (test_icsread*.c) share,
 * moved out of test_icsread.c: the CAL() wrapper of a VCALENDAR. */
#ifndef ICSREAD_UTIL_H
#define ICSREAD_UTIL_H

#include <dirent.h>
#include <libical/ical.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "goid.h"
#include "icsread.h"
#include "model.h"
#include "reader.h"
#include "recur.h"
#include "testutil.h"
#include "tz.h"
#include "writer.h"

#define CAL(body) "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n" \
	body "END:VCALENDAR\r\n"

#endif
