#!/bin/sh
# badinput-libpff.sh: every bad-input test (tests/test_badinput and
# tests/test_badinput_values) again, with --reader libpff; those programs
# themselves run the default reader.
PSTDEDUP_TEST_READER=libpff
export PSTDEDUP_TEST_READER
unset CRITERION_OUTPUTS
status=0
./tests/test_badinput || status=1
./tests/test_badinput_values || status=1
exit $status
