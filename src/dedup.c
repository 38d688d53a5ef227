/* dedup.c: under construction */
