/* model.c: under construction */
