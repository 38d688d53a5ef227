/* cli.c: under construction */
