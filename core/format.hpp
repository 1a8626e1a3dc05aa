// Short, human-readable numbers for explanations and texts ("7.25", "60", "0.333"), and the
// UTF-8 of a character.
#pragma once

#include <cstdint>
#include <string>

namespace ratelimit {

// Up to `decimals` (0 to 9) digits after the point, rounded as printf's "%.*f", trailing zeros
// dropped; -0 prints as 0.
std::string format_number(double value, int decimals = 3);
// A duration for prose: "52.75 s".
std::string format_seconds(double seconds);
// Appends `c`, a Unicode code point, as UTF-8.
void append_utf8(std::string& out, char32_t c);

}  // namespace ratelimit
