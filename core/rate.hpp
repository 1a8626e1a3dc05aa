// One rate limit ("10 per 1 minute") and the rate-string language of limits 2.8.0
// (`limits.parse_many`): several limits joined by `;`, `,` or `|`, `/` or `per`, an optional
// multiple (`250/7days`, `1 per 2 hours`), plural units, any case, the optional colon before a
// separator. Errors are values that point at the offending characters.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ratelimit {

// The six units of limits 2.8.0. A month is 30 days and a year 360 days, never calendar-aligned.
enum class Granularity { Second, Minute, Hour, Day, Month, Year };

std::string_view granularity_name(Granularity g);       // "second", ..., "year"
std::int64_t granularity_seconds(Granularity g);        // 1, 60, 3600, 86400, 2592000, 31104000

// Amounts and multiples must be whole numbers a double (and a JavaScript number) holds exactly.
// limits accepts any size; this is the port's one deliberate difference in the grammar.
inline constexpr std::int64_t kMaxRateNumber = 9007199254740991;  // 2^53 - 1

struct RateLimit {
  std::int64_t amount = 0;     // requests (or cost units) allowed per window; 0 is allowed
  std::int64_t multiples = 1;  // window = multiples x granularity; always >= 1
  Granularity granularity = Granularity::Second;

  // Window length in seconds. Saturates at kMaxRateNumber (reported as a parse error first).
  std::int64_t window_seconds() const;
  // Flask-Limiter's text for the limit and its default 429 description: "10 per 1 minute".
  std::string text() const;
  // The limit as a short rate string, which parses back to it: "10/minute", "250/7day" (also the
  // IETF draft's name for its policy).
  std::string short_text() const;

  friend bool operator==(const RateLimit& a, const RateLimit& b) {
    return a.amount == b.amount && a.multiples == b.multiples && a.granularity == b.granularity;
  }
  friend bool operator!=(const RateLimit& a, const RateLimit& b) { return !(a == b); }
};

// A rule's limits as one short rate string, which parses back to them: "2/second;60/minute".
std::string rule_text(const std::vector<RateLimit>& limits);

// limits' ordering of RateLimitItem: by the unit's length only (amount and multiple ignored).
// Flask-Limiter stable-sorts a request's limits with it.
inline bool unit_shorter(const RateLimit& a, const RateLimit& b) {
  return granularity_seconds(a.granularity) < granularity_seconds(b.granularity);
}

// Where and why a rate string is invalid. Offsets and lengths count Unicode code points
// (characters), not bytes; length may be 0 for "something is missing here".
struct ParseError {
  std::string message;  // plain sentence, e.g. `unknown time unit "minits"`
  std::size_t offset = 0;
  std::size_t length = 0;
  std::string hint;     // may be empty, e.g. `did you mean "minute"?`
};

using ParseResult = std::variant<std::vector<RateLimit>, ParseError>;

// Parses a whole rate string into its limits, in input order. Never throws; accepts exactly the
// strings limits.parse_many accepts (Unicode whitespace included), except numbers above
// kMaxRateNumber and strings longer than kMaxRuleLength, which are errors here.
ParseResult parse_rates(std::string_view text);

inline constexpr std::size_t kMaxRuleLength = 10000;  // bytes

}  // namespace ratelimit
