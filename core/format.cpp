#include "core/format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace ratelimit {

namespace {

__extension__ using Wide = unsigned __int128;  // exact products of a double's mantissa and 10^9

// The decimal digits of the integer m * 2^shift (m < 2^53, shift >= 0), exactly: doubling a
// decimal string `shift` times. Only for values of 2^64 and more, which no rule or time reaches.
std::string exact_integer(std::uint64_t m, int shift) {
  std::string digits = std::to_string(m);  // most significant first
  for (int i = 0; i < shift; ++i) {
    int carry = 0;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
      const int twice = (*it - '0') * 2 + carry;
      *it = static_cast<char>('0' + twice % 10);
      carry = twice / 10;
    }
    if (carry) digits.insert(digits.begin(), '1');
  }
  return digits;
}

}  // namespace

// As printf's "%.*f" (the exact binary value rounded to `decimals` digits, ties to even), without
// printf, which would add 4.5 KB gzip to the WebAssembly engine for this alone.
std::string format_number(double value, int decimals) {
  if (!std::isfinite(value)) return value > 0 ? "∞" : (value < 0 ? "-∞" : "NaN");
  decimals = std::clamp(decimals, 0, 9);
  const double magnitude = std::fabs(value);
  std::string text;
  if (magnitude >= 0x1p64) {  // an integer: no fraction to round
    int exponent = 0;
    const double mantissa = std::frexp(magnitude, &exponent);  // magnitude = mantissa * 2^exponent
    text = exact_integer(static_cast<std::uint64_t>(std::ldexp(mantissa, 53)), exponent - 53);
  } else {
    // The whole part exactly, and the fraction's `decimals` digits: round_half_even(fraction *
    // 10^decimals), worked out on the fraction's exact binary value (m / 2^right).
    std::uint64_t whole = static_cast<std::uint64_t>(magnitude);
    const double fraction = magnitude - std::floor(magnitude);  // exact
    std::uint64_t unit = 1;
    for (int i = 0; i < decimals; ++i) unit *= 10;
    std::uint64_t digits = 0;
    int exponent = 0;
    const double mantissa = std::frexp(fraction, &exponent);  // fraction = mantissa * 2^exponent
    const int right = 53 - exponent;
    if (fraction > 0 && right < 128) {  // else below 2^-74: 0 at up to 9 decimals
      const Wide product = static_cast<Wide>(std::ldexp(mantissa, 53)) * unit;  // < 2^83
      Wide kept = product >> right;
      const Wide rest = product - (kept << right);
      const Wide half = static_cast<Wide>(1) << (right - 1);
      // A tie goes to the even last digit: the fraction's, or the whole part's with no decimals.
      const bool odd = decimals == 0 ? (whole & 1) != 0 : (kept & 1) != 0;
      if (rest > half || (rest == half && odd)) ++kept;
      digits = static_cast<std::uint64_t>(kept);
    }
    if (digits == unit) {  // rounded up into the whole part
      ++whole;
      digits = 0;
    }
    text = std::to_string(whole);
    if (decimals > 0) {
      const std::string fraction_digits = std::to_string(digits);
      text += '.' + std::string(static_cast<std::size_t>(decimals) - fraction_digits.size(), '0') + fraction_digits;
    }
  }
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  if (value < 0 && text != "0") text.insert(text.begin(), '-');
  return text;
}

std::string format_seconds(double seconds) { return format_number(seconds) + " s"; }

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

}  // namespace ratelimit
