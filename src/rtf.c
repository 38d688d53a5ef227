/* rtf.c: under construction */
