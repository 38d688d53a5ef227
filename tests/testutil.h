#ifndef TESTUTIL_H
#define TESTUTIL_H
#endif
