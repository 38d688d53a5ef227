#!/bin/sh
# folders-libpff.sh: every folders test (tests/test_folders) again,
# with --reader libpff; test_folders itself runs the default reader.
PSTDEDUP_TEST_READER=libpff
export PSTDEDUP_TEST_READER
unset CRITERION_OUTPUTS
exec ./tests/test_folders
