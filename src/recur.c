/* recur.c: under construction */
