#!/bin/sh
# corpus-libpff.sh: every corpus test (tests/test_corpus and
# tests/test_corpus_cases) again, with --reader libpff; those programs
# themselves run the default reader.
PSTDEDUP_TEST_READER=libpff
export PSTDEDUP_TEST_READER
unset CRITERION_OUTPUTS
status=0
./tests/test_corpus || status=1
./tests/test_corpus_cases || status=1
exit $status
