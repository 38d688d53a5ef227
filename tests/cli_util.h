/* cli_util.h: helpers shared by the cli test programs
 * (test_cli*.c), moved out of test_cli.c. */
#ifndef CLI_UTIL_H
#define CLI_UTIL_H

#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libical/ical.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "pstwrite.h"
#include "testutil.h"
#include "xmalloc.h"


int
starts(const char *s, const char *prefix);

int
run_stdout_to(const char *path, char **err, char *const argv[]);

int
count_lines(const char *s, const char *prefix);

#endif
