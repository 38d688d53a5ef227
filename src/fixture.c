/* fixture.c: under construction */
