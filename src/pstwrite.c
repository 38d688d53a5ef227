/* pstwrite.c: under construction */
