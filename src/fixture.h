#ifndef FIXTURE_H
#define FIXTURE_H
#endif
