/* icsread_util.c: helpers shared by the icsread test programs
 * (test_icsread*.c), moved out of test_icsread.c. */
#include <criterion/criterion.h>
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
#include "icsread_util.h"
#include "tz.h"
#include "writer.h"
