/* reader.c: under construction */
