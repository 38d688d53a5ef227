/* writer.c: under construction */
