#include "core/format.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "core/random.hpp"

namespace ratelimit::test {

namespace {

// printf's "%.*f", trailing zeros dropped and -0 as 0: what format_number() must print.
std::string reference(double value, int decimals) {
  std::vector<char> buffer(400);
  std::snprintf(buffer.data(), buffer.size(), "%.*f", decimals, value);
  std::string text = buffer.data();
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text == "-0" ? "0" : text;
}

}  // namespace

TEST_CASE("format_number: short numbers for prose") {
  CHECK(format_number(7.25) == "7.25");
  CHECK(format_number(60) == "60");
  CHECK(format_number(1.0 / 3) == "0.333");
  CHECK(format_number(2.0 / 3) == "0.667");
  CHECK(format_number(-0.0001) == "0");
  CHECK(format_number(-1.5) == "-1.5");
  CHECK(format_number(1700000000.123456, 6) == "1700000000.123456");
  CHECK(format_number(INFINITY) == "∞");
  CHECK(format_number(-INFINITY) == "-∞");
  CHECK(format_number(NAN) == "NaN");
  CHECK(format_seconds(52.75) == "52.75 s");
}

TEST_CASE("format_number rounds exactly as printf's %.*f: the binary value, ties to even") {
  // Ties that are exact in binary go to the even digit; 0.0005 is just below its tie.
  CHECK(format_number(0.125, 2) == reference(0.125, 2));
  CHECK(format_number(0.375, 2) == reference(0.375, 2));
  CHECK(format_number(2.5, 0) == "2");
  CHECK(format_number(3.5, 0) == "4");
  CHECK(format_number(0.0005) == reference(0.0005, 3));
  CHECK(format_number(1.0005) == reference(1.0005, 3));
  std::vector<double> values = {0, 1e-300, 5e-324, 0.5, 0.9995, 9.9995, 123456.0005, 4503599627370495.5,
                                9007199254740991.0, 9007199254740993.0, 1e17, 18446744073709551615.0,
                                18446744073709551616.0, 1e19, 1e22, 1.7976931348623157e308};
  Random random(7);
  for (int i = 0; i < 20000; ++i) {
    const double unit = random.uniform();
    values.push_back(unit * std::pow(10.0, static_cast<int>(random.uniform() * 24) - 8));
    values.push_back(std::round(unit * 1e6) / 1e6 + 0.0005);  // near the 3-decimal ties
  }
  for (double value : values) {
    for (int decimals : {0, 1, 3, 6, 9}) {
      CAPTURE(value);
      CAPTURE(decimals);
      REQUIRE(format_number(value, decimals) == reference(value, decimals));
      REQUIRE(format_number(-value, decimals) == reference(-value, decimals));
    }
  }
}

}  // namespace ratelimit::test
