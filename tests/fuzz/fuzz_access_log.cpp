// libFuzzer target for AccessLogParser: any bytes, in any format, with or without a key field,
// cut into chunks anywhere, must read without a crash, and these invariants hold (a violation
// traps):
// - the result does not depend on where the chunks were cut (the first byte picks the cut);
// - after finish() the times are in order, every client id is below client_count();
// - bad lines are counted, at most kMaxBadSamples kept, with increasing line numbers within the
//   lines read, and excerpts no longer than kBadLineExcerpt;
// - a file that breaks off at the same place (break_off()) holds as much, plus one bad line.
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

// What holds of any parser after finish(): ordered times, known clients, bad lines as promised.
void require_consistent(const AccessLogParser& parser) {
  require(parser.left_out() + parser.times().size() <= parser.lines());
  require(parser.forwarded_for() <= parser.times().size());
  require(std::is_sorted(parser.times().begin(), parser.times().end()));
  for (auto id : parser.clients()) require(id < parser.client_count());
  require(parser.bad_samples().size() <= AccessLogParser::kMaxBadSamples);
  require(parser.bad_samples().size() <= parser.bad_lines());
  std::uint64_t previous = 0;
  for (const auto& bad : parser.bad_samples()) {
    require(bad.line > previous && bad.line <= parser.lines());
    require(bad.text.size() <= AccessLogParser::kBadLineExcerpt);
    previous = bad.line;
  }
  require(parser.unread().size() <= parser.bad_lines());
  for (const auto& rest : parser.unread()) require(rest.line <= parser.lines() && rest.text.empty());
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
  const int public_proxies = data[size - 1] % 3;  // skipped in X-Forwarded-For; the last byte decides
  AccessLogParser whole(format, key_field, filter, public_proxies);
  whole.feed(text);
  whole.finish();
  AccessLogParser cut(format, key_field, filter, public_proxies);
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
  require(whole.forwarded_beyond() == cut.forwarded_beyond());
  require(whole.left_out() == cut.left_out());
  require_consistent(whole);

  AccessLogParser broken(format, key_field, filter);
  broken.feed(text.substr(0, at));
  broken.break_off("cut");
  broken.finish();
  require_consistent(broken);
  require(broken.bad_lines() >= 1 && broken.times().size() <= whole.times().size());
  require(!broken.unread().empty());
  return 0;
}
