#include "core/rate.hpp"

namespace ratelimit {

std::string_view granularity_name(Granularity g) {
  switch (g) {
    case Granularity::Second: return "second";
    case Granularity::Minute: return "minute";
    case Granularity::Hour: return "hour";
    case Granularity::Day: return "day";
    case Granularity::Month: return "month";
    case Granularity::Year: return "year";
  }
  return "second";
}

std::int64_t granularity_seconds(Granularity g) {
  switch (g) {
    case Granularity::Second: return 1;
    case Granularity::Minute: return 60;
    case Granularity::Hour: return 3600;
    case Granularity::Day: return 86400;
    case Granularity::Month: return 30 * 86400;
    case Granularity::Year: return 360 * 86400;
  }
  return 1;
}

std::int64_t RateLimit::window_seconds() const {
  const std::int64_t unit = granularity_seconds(granularity);
  if (multiples > kMaxRateNumber / unit) return kMaxRateNumber;
  return multiples * unit;
}

std::string RateLimit::text() const {
  std::string out = std::to_string(amount);
  out += " per ";
  out += std::to_string(multiples);
  out += ' ';
  out += granularity_name(granularity);
  return out;
}

std::string RateLimit::short_text() const {
  return std::to_string(amount) + "/" + (multiples == 1 ? "" : std::to_string(multiples)) +
         std::string(granularity_name(granularity));
}

std::string rule_text(const std::vector<RateLimit>& limits) {
  std::string text;
  for (const RateLimit& limit : limits) text += (text.empty() ? "" : ";") + limit.short_text();
  return text;
}

}  // namespace ratelimit
