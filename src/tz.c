/* tz.c: under construction */
