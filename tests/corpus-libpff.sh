#!/bin/sh
# corpus-libpff.sh: every corpus test (tests/test_corpus) again,
# with --reader libpff; test_corpus itself runs the default reader.
PSTDEDUP_TEST_READER=libpff
export PSTDEDUP_TEST_READER
unset CRITERION_OUTPUTS
exec ./tests/test_corpus
