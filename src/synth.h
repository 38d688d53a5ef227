#ifndef SYNTH_H
#define SYNTH_H
#endif
