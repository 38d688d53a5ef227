/* report.c: under construction */
