/* outfile.c: under construction */
