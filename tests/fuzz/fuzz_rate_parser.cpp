// libFuzzer target for parse_rates: any bytes must give a result, never a crash, and these
// invariants hold (a violation traps):
// - an error's offset + length stays within the input's characters;
// - every parsed limit has 0 <= amount <= max, 1 <= multiples <= max and a window <= max;
// - the text() form of each limit, and all of them joined with ";", parse back to the same limits.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/rate.hpp"

namespace {

using ratelimit::kMaxRateNumber;
using ratelimit::kMaxRuleLength;
using ratelimit::ParseError;
using ratelimit::RateLimit;

void require(bool condition) {
  if (!condition) __builtin_trap();
}

// The number of code points when the bytes are valid UTF-8, else the number of bytes (an error
// then points at a broken byte, and characters before it count as one each or less).
std::size_t character_bound(std::string_view bytes) {
  std::size_t characters = 0;
  for (std::size_t i = 0; i < bytes.size(); ++characters) {
    const auto lead = static_cast<unsigned char>(bytes[i]);
    const std::size_t size = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
    if (size == 0 || i + size > bytes.size()) return bytes.size();
    i += size;
  }
  return characters;
}

const std::vector<RateLimit>* limits_of(const ratelimit::ParseResult& result) {
  return std::get_if<std::vector<RateLimit>>(&result);
}

void check_round_trip(const std::vector<RateLimit>& limits) {
  std::string joined;
  for (const RateLimit& limit : limits) {
    const auto again = ratelimit::parse_rates(limit.text());
    const auto* single = limits_of(again);
    require(single != nullptr && single->size() == 1 && single->front() == limit);
    if (!joined.empty()) joined += ';';
    joined += limit.text();
  }
  if (joined.size() > kMaxRuleLength) return;  // the joined texts can outgrow a short input
  const auto again = ratelimit::parse_rates(joined);
  const auto* all = limits_of(again);
  require(all != nullptr && *all == limits);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto result = ratelimit::parse_rates(input);
  if (const auto* error = std::get_if<ParseError>(&result)) {
    require(!error->message.empty());
    require(error->offset + error->length <= character_bound(input));
    return 0;
  }
  const std::vector<RateLimit>& limits = *limits_of(result);
  require(!limits.empty());
  for (const RateLimit& limit : limits) {
    require(limit.amount >= 0 && limit.amount <= kMaxRateNumber);
    require(limit.multiples >= 1 && limit.multiples <= kMaxRateNumber);
    require(limit.window_seconds() <= kMaxRateNumber);
    require(limit.multiples <= kMaxRateNumber / ratelimit::granularity_seconds(limit.granularity));
  }
  check_round_trip(limits);
  return 0;
}
