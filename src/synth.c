/* synth.c: under construction */
