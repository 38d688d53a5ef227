#ifndef CLI_H
#define CLI_H
#endif
