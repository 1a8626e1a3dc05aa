// The doctest runner for every core test file in this folder (one file per core module).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
