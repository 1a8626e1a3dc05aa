// libFuzzer target for AccessLogParser: any bytes, in any format, with or without a key field,
// cut into chunks anywhere, must read without a crash, and these invariants hold (a violation
// traps):
// - the result does not depend on where the chunks were cut (the first byte picks the cut);
// - after finish() the times are in order, every client id is below client_count();
// - bad lines are counted, at most kMaxBadSamples kept, with increasing line numbers within the
//   lines read, and excerpts no longer than kBadLineExcerpt.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>

#include "core/access_log.hpp"

namespace {

using ratelimit::AccessLogParser;
using ratelimit::kLogFormats;
using ratelimit::LogFormat;
using ratelimit::RequestFilter;

void require(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks the format and, in its high bits, whether a key field is counted per.
  const auto format = kLogFormats[data[0] % std::size(kLogFormats)];
  static constexpr std::string_view kKeyFields[] = {"", "user", "api_key", "cs-username", "x-forwarded-for"};
  const std::string_view key_field = kKeyFields[(data[0] >> 5) % std::size(kKeyFields)];
  const RequestFilter filter = (data[0] & 0x10) != 0 ? RequestFilter{"/a", "get"} : RequestFilter{};
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  AccessLogParser whole(format, key_field, filter);
  whole.feed(text);
  whole.finish();
  AccessLogParser cut(format, key_field, filter);
  const std::size_t at = text.empty() ? 0 : data[0] % (text.size() + 1);
  cut.feed(text.substr(0, at));
  for (std::size_t i = at; i < text.size(); i += 7) cut.feed(text.substr(i, 7));
  cut.finish();

  require(whole.times() == cut.times());
  require(whole.clients() == cut.clients());
  require(whole.bad_lines() == cut.bad_lines());
  require(whole.lines() == cut.lines());
  require(whole.format() == cut.format());
  require(whole.forwarded_for() == cut.forwarded_for());
  require(whole.left_out() == cut.left_out());
  require(whole.left_out() + whole.times().size() <= whole.lines());
  require(whole.forwarded_for() <= whole.times().size());
  require(std::is_sorted(whole.times().begin(), whole.times().end()));
  for (auto id : whole.clients()) require(id < whole.client_count());
  require(whole.bad_samples().size() <= AccessLogParser::kMaxBadSamples);
  require(whole.bad_samples().size() <= whole.bad_lines());
  std::uint64_t previous = 0;
  for (const auto& bad : whole.bad_samples()) {
    require(bad.line > previous && bad.line <= whole.lines());
    require(bad.text.size() <= AccessLogParser::kBadLineExcerpt);
    previous = bad.line;
  }
  return 0;
}
