// libFuzzer target: arbitrary bytes through the rate-string parser. Besides crashes and
// sanitizer reports it checks the parser's contract: an error points inside the input; a
// success holds only limits within range; and writing the limits back in Flask-Limiter's words
// parses to the same limits.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/rate.hpp"

namespace {

// Characters in `bytes`, counting a stray continuation byte of broken UTF-8 as one (that is
// where the parser points when it meets one).
std::size_t characters(std::string_view bytes) {
  std::size_t count = 0;
  int continuation_expected = 0;
  for (char b : bytes) {
    const auto byte = static_cast<unsigned char>(b);
    if ((byte & 0xC0) == 0x80 && continuation_expected > 0) {
      --continuation_expected;
      continue;
    }
    ++count;
    continuation_expected = byte >= 0xF0 ? 3 : byte >= 0xE0 ? 2 : byte >= 0xC0 ? 1 : 0;
  }
  return count;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ratelimit;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const ParseResult result = parse_rates(text);
  if (const auto* error = std::get_if<ParseError>(&result)) {
    if (error->message.empty()) __builtin_trap();
    if (size <= kMaxRuleLength && error->offset + error->length > characters(text)) __builtin_trap();
    return 0;
  }
  const auto& limits = std::get<std::vector<RateLimit>>(result);
  if (limits.empty()) __builtin_trap();
  std::string again;
  for (const RateLimit& limit : limits) {
    if (limit.amount < 0 || limit.amount > kMaxRateNumber) __builtin_trap();
    if (limit.multiples < 1 || limit.multiples > kMaxRateNumber) __builtin_trap();
    if (limit.window_seconds() > kMaxRateNumber) __builtin_trap();
    if (!again.empty()) again += ";";
    again += limit.text();
  }
  const ParseResult reparsed = parse_rates(again);
  if (!std::holds_alternative<std::vector<RateLimit>>(reparsed) || std::get<std::vector<RateLimit>>(reparsed) != limits) {
    __builtin_trap();
  }
  return 0;
}
