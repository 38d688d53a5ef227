#ifndef OUTFILE_H
#define OUTFILE_H
#endif
