// The doctest runner for the CLI's unit tests (one file per cli/ module).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
