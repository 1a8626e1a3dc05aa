#include "core/format.hpp"

#include <cmath>
#include <cstdio>

namespace ratelimit {

std::string format_number(double value, int decimals) {
  if (!std::isfinite(value)) return value > 0 ? "∞" : (value < 0 ? "-∞" : "NaN");
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  std::string text = buffer;
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  if (text == "-0") text = "0";
  return text;
}

std::string format_seconds(double seconds) { return format_number(seconds) + " s"; }

}  // namespace ratelimit
