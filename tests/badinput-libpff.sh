#!/bin/sh
# badinput-libpff.sh: every bad-input test (tests/test_badinput) again,
# with --reader libpff; test_badinput itself runs the default reader.
PSTDEDUP_TEST_READER=libpff
export PSTDEDUP_TEST_READER
unset CRITERION_OUTPUTS
exec ./tests/test_badinput
