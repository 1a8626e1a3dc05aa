#include "core/access_log.hpp"
#include "core/civil_date.hpp"
#include "core/format.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace ratelimit {

namespace {

// Field names as compared: lower case, without separators (see same_name()). Earlier names win.
// Besides the common ones, the request start of Traefik (StartUTC) and Cloudflare
// (EdgeStartTimestamp), and the client of Traefik (ClientHost).
constexpr std::string_view kTimeNames[] = {"startutc", "edgestarttimestamp", "time", "timestamp", "ts",
                                           "timelocal", "timeiso8601", "date", "datetime", "msec"};
constexpr std::string_view kClientNames[] = {"ip",         "client", "clientip", "remoteaddr", "remoteip",
                                             "clienthost", "addr",   "key",      "user",       "userid",
                                             "cip"};  // W3C's c-ip, as Log Parser's CSV keeps it
// A request's path (or URL): Caddy's request.uri, nginx's request_uri, Traefik's RequestPath,
// Cloudflare's ClientRequestPath, Google Cloud's httpRequest.requestUrl.
constexpr std::string_view kPathNames[] = {"uri",  "requesturi", "path", "requestpath", "clientrequestpath",
                                           "url",  "requesturl", "clientrequesturi"};
// A request's method: Caddy's request.method, Google Cloud's httpRequest.requestMethod, Traefik's
// RequestMethod, Cloudflare's ClientRequestMethod, ECS's http.request.method.
// AWS WAF's and Azure's httpRequest.httpMethod.
constexpr std::string_view kMethodNames[] = {"method", "requestmethod", "clientrequestmethod", "verb", "httpmethod"};
constexpr std::size_t kNoName = 99;
constexpr std::string_view kUwsgiStart = "[pid: ";  // how every line of a uWSGI request log starts

// The compression a file's first bytes say it has, or nullptr: rotated logs are compressed, and a
// compressed file read as text is only garbage.
const char* compression_of(std::string_view start) {
  static constexpr std::pair<std::string_view, const char*> kMagic[] = {
      {"\x1f\x8b", "gzip"}, {"\x28\xb5\x2f\xfd", "zstd"}, {"\xfd" "7zXZ", "xz"}, {"BZh", "bzip2"},
      {"\x04\x22\x4d\x18", "lz4"}, {"PK\x03\x04", "zip"}, {"7z\xbc\xaf\x27\x1c", "7z"}};
  for (const auto& [magic, name] : kMagic) {
    if (start.substr(0, magic.size()) == magic) return name;
  }
  return nullptr;
}
constexpr KeyId kNoSlot = ~KeyId{0};

// FNV-1a: client names are short, and this is small and fast enough for them.
std::size_t name_hash(std::string_view name) {
  std::uint32_t hash = 2166136261u;
  for (char c : name) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
  return hash;
}

bool is_space(char c) { return c == ' ' || c == '\t'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Whether `name` is `canonical` (lower case, no separators) when case and the separators _ - . @
// are ignored: remote_addr, remoteAddr and Remote-Addr are all "remoteaddr".
bool same_name(std::string_view name, std::string_view canonical) {
  std::size_t matched = 0;
  for (char c : name) {
    if (c == '_' || c == '-' || c == '.' || c == '@') continue;
    if (matched == canonical.size() || lower(c) != canonical[matched]) return false;
    ++matched;
  }
  return matched == canonical.size();
}

// `name` as same_name() compares it: lower case, without separators (nor spaces).
std::string field_key(std::string_view name) {
  std::string key;
  for (char c : name) {
    if (c != '_' && c != '-' && c != '.' && c != '@' && !is_space(c)) key += lower(c);
  }
  return key;
}

// JSON objects that describe the server's side of a connection: ECS's host, server, destination
// and observer, nginx's and Traefik's upstream.
constexpr std::string_view kServerSides[] = {"host", "server", "destination", "observer", "upstream"};

// Position of `name` in `names` (see same_name()), or kNoName. A member of an object named for the
// server's side (`parent`, kServerSides) ranks after every name of the list, wherever it is: ECS's
// host.ip or destination.ip is no client while source.ip or client.ip names one.
template <std::size_t N>
std::size_t name_rank(std::string_view name, const std::string_view (&names)[N], std::string_view parent = {}) {
  for (std::size_t i = 0; i < N; ++i) {
    if (same_name(name, names[i])) return parent.empty() || name_rank(parent, kServerSides) == kNoName ? i : N + i;
  }
  return kNoName;
}

// Reads exactly `width` digits at `at`.
bool digits(std::string_view s, std::size_t at, std::size_t width, int& out) {
  if (at + width > s.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + width; ++i) {
    if (!is_digit(s[i])) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

bool valid_clock(int year, int month, int day, int hour, int minute, int second) {
  return year >= 1970 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 &&
         second <= 60;
}

// Epoch seconds; NaN for a day its month does not have (2024-02-30, 31 April), which
// valid_clock() lets through: the readers say so (bad_time()) rather than read the next month's.
double civil_seconds(int year, int month, int day, int hour, int minute, int second) {
  const std::int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  if (civil_from_days(days).day != static_cast<unsigned>(day)) return std::numeric_limits<double>::quiet_NaN();
  return static_cast<double>(days * 86400 + hour * 3600 + minute * 60 + second);
}

// ".250" at `at`: the fraction of a second, and where it ends.
double fraction(std::string_view s, std::size_t& at) {
  if (at >= s.size() || (s[at] != '.' && s[at] != ',')) return 0;
  double value = 0;
  double scale = 0.1;
  ++at;
  while (at < s.size() && is_digit(s[at])) {
    value += (s[at] - '0') * scale;
    scale /= 10;
    ++at;
  }
  return value;
}

// "+0200", "+02:00", "-07", "Z" at `at`, in seconds east of UTC; false when malformed.
bool zone(std::string_view s, std::size_t& at, int& offset) {
  offset = 0;
  if (at >= s.size()) return true;
  if (s[at] == 'Z' || s[at] == 'z') {
    ++at;
    return true;
  }
  if (s[at] != '+' && s[at] != '-') return false;
  const int sign = s[at] == '-' ? -1 : 1;
  int hours = 0;
  int minutes = 0;
  if (!digits(s, at + 1, 2, hours)) return false;
  at += 3;
  if (at < s.size() && s[at] == ':') ++at;
  if (at < s.size()) {
    if (!digits(s, at, 2, minutes)) return false;
    at += 2;
  }
  if (hours > 23 || minutes > 59) return false;
  offset = sign * (hours * 3600 + minutes * 60);
  return true;
}

// 2024-05-01T12:00:00.250+02:00; `zoned` (when given) tells whether it names a zone.
std::optional<double> parse_iso(std::string_view s, bool* zoned = nullptr) {
  int year, month, day, hour, minute, second = 0;
  if (!digits(s, 0, 4, year) || s.size() < 16 || s[4] != '-' || !digits(s, 5, 2, month) || s[7] != '-' ||
      !digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s, 11, 2, hour) ||
      s[13] != ':' || !digits(s, 14, 2, minute)) {
    return std::nullopt;
  }
  std::size_t at = 16;
  if (at < s.size() && s[at] == ':') {
    if (!digits(s, at + 1, 2, second)) return std::nullopt;
    at += 3;
  }
  const double part = fraction(s, at);
  if (at < s.size() && s[at] == ' ') ++at;
  const std::size_t zone_at = at;
  int offset = 0;
  if (!zone(s, at, offset)) return std::nullopt;
  // Go's time.String(): after an offset without a colon, the zone's name (letters, or +hh[mm]
  // where it has none) and maybe the monotonic clock: "2009-11-10 23:00:00 +0000 UTC
  // m=+0.000000001". Nothing else may follow a time.
  if (at == zone_at + 5 && at < s.size() && s[at] == ' ') {
    const std::size_t end = std::min(s.find(' ', at + 1), s.size());
    const std::string_view name = s.substr(at + 1, end - at - 1);
    const auto all = [](std::string_view text, auto is) { return !text.empty() && std::all_of(text.begin(), text.end(), is); };
    const bool letters = all(name, [](char c) { return lower(c) >= 'a' && lower(c) <= 'z'; });
    const bool numeric = (name.size() == 3 || name.size() == 5) && (name[0] == '+' || name[0] == '-') && all(name.substr(1), is_digit);
    if (letters || numeric) {
      at = end;
      const std::string_view clock = s.substr(at);  // " m=+0.000000001"
      if (clock.size() > 4 && clock.substr(0, 3) == " m=" && (clock[3] == '+' || clock[3] == '-') &&
          all(clock.substr(4), [](char c) { return is_digit(c) || c == '.'; })) {
        at = s.size();
      }
    }
  }
  if (at != s.size() || !valid_clock(year, month, day, hour, minute, second)) return std::nullopt;
  if (zoned) *zoned = at != zone_at;
  return civil_seconds(year, month, day, hour, minute, second) - offset + part;
}

// "Oct" (any case) as 10; 0 when it is not a month's abbreviation.
int month_number(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                               "jul", "aug", "sep", "oct", "nov", "dec"};
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (name.size() == 3 && same_name(name, kMonths[i])) return static_cast<int>(i) + 1;
  }
  return 0;
}

// 10/Oct/2000:13:55:36 -0700 (the zone may be left out: UTC), or as Werkzeug, Flask's development
// server, logs it: 10/Oct/2000 13:55:36 (local time, read as UTC); `zoned` as for parse_iso().
std::optional<double> parse_common_log_time(std::string_view s, bool* zoned = nullptr) {
  int day, year, hour, minute, second;
  if (s.size() < 20 || !digits(s, 0, 2, day) || s[2] != '/' || s[6] != '/' || !digits(s, 7, 4, year) ||
      (s[11] != ':' && s[11] != ' ') || !digits(s, 12, 2, hour) || s[14] != ':' || !digits(s, 15, 2, minute) || s[17] != ':' ||
      !digits(s, 18, 2, second)) {
    return std::nullopt;
  }
  const int month = month_number(s.substr(3, 3));
  std::size_t at = 20;
  const double part = fraction(s, at);
  if (at < s.size() && s[at] == ' ') ++at;
  const std::size_t zone_at = at;
  int offset = 0;
  if (month == 0 || !zone(s, at, offset) || at != s.size() || !valid_clock(year, month, day, hour, minute, second)) {
    return std::nullopt;
  }
  if (zoned) *zoned = at != zone_at;
  return civil_seconds(year, month, day, hour, minute, second) - offset + part;
}

// 1700000000, 1700000000.25, 1700000000250 (ms), ...
std::optional<double> parse_epoch(std::string_view s) {
  std::size_t at = 0;
  double whole = 0;
  while (at < s.size() && is_digit(s[at]) && at < 20) whole = whole * 10 + (s[at++] - '0');
  if (at == 0) return std::nullopt;
  const double part = fraction(s, at);
  if (at != s.size()) return std::nullopt;
  double value = whole + part;
  if (value >= 1e17) {
    value /= 1e9;
  } else if (value >= 1e14) {
    value /= 1e6;
  } else if (value >= 1e11) {
    value /= 1e3;
  }
  return value;
}

// One JSON string at `at` (the opening quote): its raw text (escapes left as written) and where
// it ends; false when unterminated.
bool json_string(std::string_view s, std::size_t& at, std::string_view& raw) {
  const std::size_t start = ++at;
  while (at < s.size() && s[at] != '"') at += s[at] == '\\' ? 2 : 1;
  if (at >= s.size()) return false;
  raw = s.substr(start, at - start);
  ++at;
  return true;
}

// The last words of `text` (split at spaces and tabs), the last at the end of `out`; how many
// were found, up to out's size (the found ones then at its end).
template <std::size_t N>
std::size_t last_words(std::string_view text, std::array<std::string_view, N>& out) {
  std::size_t count = 0;
  std::size_t end = text.size();
  while (count < N) {
    while (end > 0 && is_space(text[end - 1])) --end;
    if (end == 0) break;
    std::size_t start = end;
    while (start > 0 && !is_space(text[start - 1])) --start;
    out[N - 1 - count++] = text.substr(start, end - start);
    end = start;
  }
  return count;
}

// A client word without the prefix of Python logging's default format ("INFO:werkzeug:127.0.0.1").
std::string_view without_logging_prefix(std::string_view word) {
  for (std::string_view level : {"DEBUG:", "INFO:", "WARNING:", "ERROR:", "CRITICAL:"}) {
    if (word.substr(0, level.size()) != level) continue;
    const std::size_t colon = word.find(':', level.size());
    if (colon != std::string_view::npos && colon + 1 < word.size()) return word.substr(colon + 1);
  }
  return word;
}

// Whether the character at `at` follows an odd number of backslashes.
bool escaped(std::string_view s, std::size_t at) {
  std::size_t backslashes = 0;
  while (backslashes < at && s[at - 1 - backslashes] == '\\') ++backslashes;
  return backslashes % 2 == 1;
}

// The quote that closes the one at `open`: the next one not escaped by a backslash (memchr: this
// runs on every line); npos when there is none.
std::size_t closing_quote(std::string_view s, std::size_t open) {
  std::size_t close = open;
  do {
    close = s.find('"', close + 1);
  } while (close != std::string_view::npos && escaped(s, close));
  return close;
}

// 203.0.113.5:2817 or [2001:db8::1]:2817: the address without its port; nothing when `text` has
// no port.
std::optional<std::string_view> without_port(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size() ||
      !std::all_of(text.begin() + static_cast<std::ptrdiff_t>(colon) + 1, text.end(), is_digit)) {
    return std::nullopt;
  }
  text = text.substr(0, colon);
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  return text;
}

// A client's address as logged, without its port: "203.0.113.5:2817" and "[2001:db8::1]:2817"
// are the address's (the port changes with every connection). An IPv6 address without brackets
// has no port to drop, and a text that is no address is kept as it is.
std::string_view client_address(std::string_view text) {
  const auto address = without_port(text);
  const bool ipv4 = address && !address->empty() && address->find_first_not_of("0123456789.") == std::string_view::npos;
  return address && (ipv4 || text.front() == '[') ? *address : text;
}

// Whether `entry` is an IP address as X-Forwarded-For lists them: a dotted quad or an IPv6
// address, with a port or not.
bool is_address(std::string_view entry) {
  entry = client_address(trim(entry));
  if (entry.size() > 2 && entry.front() == '[' && entry.back() == ']') entry = entry.substr(1, entry.size() - 2);
  if (entry.find(':') != std::string_view::npos) {  // IPv6, possibly ending in a dotted quad
    return std::count(entry.begin(), entry.end(), ':') >= 2 &&
           std::all_of(entry.begin(), entry.end(), [](char c) {
             return is_digit(c) || (lower(c) >= 'a' && lower(c) <= 'f') || c == ':' || c == '.';
           });
  }
  int parts = 0;
  std::size_t at = 0;
  while (at <= entry.size()) {
    const std::size_t dot = std::min(entry.find('.', at), entry.size());
    const std::size_t length = dot - at;
    if (length == 0 || length > 3 || !std::all_of(entry.begin() + static_cast<std::ptrdiff_t>(at),
                                                   entry.begin() + static_cast<std::ptrdiff_t>(dot), is_digit)) {
      return false;
    }
    ++parts;
    at = dot + 1;
  }
  return parts == 4;
}

// Whether `value` is a list of IP addresses, as X-Forwarded-For holds: "203.0.113.7, 10.0.0.5".
bool lists_addresses(std::string_view value) {
  if (trim(value).empty()) return false;
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    if (!is_address(value.substr(0, comma))) return false;
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
  }
  return true;
}

// The X-Forwarded-For value of a common or combined log line, searched from `from` (after the
// [date]): its fourth quoted field (the request, referer and user agent come first), where nginx's
// default log format has it; nothing when there is none or it lists no addresses ("-").
std::string_view forwarded_field(std::string_view line, std::size_t from) {
  std::size_t open = std::string_view::npos;
  std::size_t close = from;
  for (int i = 0; i < 4; ++i) {
    open = line.find('"', close + 1);
    if (open == std::string_view::npos) return {};
    close = closing_quote(line, open);
    if (close == std::string_view::npos) return {};
  }
  const std::string_view field = line.substr(open + 1, close - open - 1);
  return lists_addresses(field) ? field : std::string_view();
}

void skip_space(std::string_view s, std::size_t& at) {
  while (at < s.size() && (is_space(s[at]) || s[at] == '\r')) ++at;
}

// Skips one JSON value at `at`; `raw` is a string's content or a scalar's text ("" for nested
// values); `is_string` says which. False when malformed.
bool json_value(std::string_view s, std::size_t& at, std::string_view& raw, bool& is_string) {
  raw = {};
  is_string = false;
  if (at >= s.size()) return false;
  if (s[at] == '"') {
    is_string = true;
    return json_string(s, at, raw);
  }
  if (s[at] == '{' || s[at] == '[') {
    int depth = 0;
    while (at < s.size()) {
      const char c = s[at];
      if (c == '"') {
        std::string_view ignored;
        if (!json_string(s, at, ignored)) return false;
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if ((c == '}' || c == ']') && --depth == 0) {
        ++at;
        return true;
      }
      ++at;
    }
    return false;
  }
  const std::size_t start = at;
  while (at < s.size() && s[at] != ',' && s[at] != '}' && !is_space(s[at])) ++at;
  raw = s.substr(start, at - start);
  return !raw.empty();
}

// Takes `candidate` (a field's value, or its column) for `taken` when the field's `name` (in the
// JSON object named `parent`) ranks before `best` among `names`: of several names for one thing,
// the earliest wins.
template <std::size_t N, typename T>
void keep_best(std::string_view name, const std::string_view (&names)[N], std::size_t& best, T& taken, T candidate,
               std::string_view parent = {}) {
  if (const std::size_t rank = name_rank(name, names, parent); rank < best) {
    best = rank;
    taken = candidate;
  }
}

// The fields of `s` separated by runs of spaces and tabs (W3C, AWS load balancers); a field that
// opens with a quote runs to its closing one (not escaped by a backslash), spaces and all, and is
// given without its quotes ("GET / HTTP/1.1", a user agent). Stops once `wanted` fields are read.
std::size_t space_fields(std::string_view s, std::string_view* out, std::size_t wanted) {
  std::size_t count = 0;
  std::size_t at = 0;
  while (count < wanted) {
    while (at < s.size() && is_space(s[at])) ++at;
    if (at == s.size()) break;
    const std::size_t start = at;
    if (s[at] == '"') {
      at = std::min(closing_quote(s, at), s.size());
      out[count++] = s.substr(start + 1, at - start - 1);
      at = std::min(at + 1, s.size());
      continue;
    }
    while (at < s.size() && !is_space(s[at])) ++at;
    out[count++] = s.substr(start, at - start);
  }
  return count;
}

// The request line in `text` (its first two words); nothing when it has fewer.
RequestLine request_words(std::string_view text) {
  // Werkzeug colours the request line of any status but 200 ("\x1b[33mGET /missing HTTP/1.1\x1b[0m").
  if (text.substr(0, 2) == "\x1b[") text.remove_prefix(std::min(text.size(), text.find('m') + 1));
  std::array<std::string_view, 2> words;
  if (space_fields(text, words.data(), words.size()) < 2) return {};
  return {words[0], words[1]};
}

// The best-ranked time and client fields met so far in a JSON line.
struct JsonFields {
  std::size_t time_rank = kNoName;
  std::size_t client_rank = kNoName;
  std::string_view time;
  std::string_view client;
  std::string_view key_field;  // as same_name() compares; empty for none
  std::string_view keyed;      // the first value of a member named key_field
  bool forwarded = false;      // key_field names X-Forwarded-For (names_forwarded_for())
  std::vector<std::string>* names = nullptr;  // when given, every member's name not in it yet
  bool want_request = false;                  // whether to look for the path and method too
  std::size_t path_rank = kNoName;
  std::string_view path;
  std::size_t method_rank = kNoName;
  std::string_view method;
};

// The four hex digits at `at`, or nothing.
std::optional<std::uint32_t> hex4(std::string_view text, std::size_t at) {
  if (at + 4 > text.size()) return std::nullopt;
  std::uint32_t value = 0;
  for (std::size_t i = at; i < at + 4; ++i) {
    const char c = lower(text[i]);
    const int digit = is_digit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
    if (digit < 0) return std::nullopt;
    value = value * 16 + static_cast<std::uint32_t>(digit);
  }
  return value;
}

// A JSON string's text (between its quotes, escapes as written) as it reads: \" \\ \/ \b \f \n
// \r \t and \uXXXX (a surrogate pair as one character, a lone half as U+FFFD) decoded into
// `scratch` when it has any; an escape that is none stays as written. Loggers escape what a client
// sent: PHP writes "\/api\/items", Python "Jos\u00e9".
std::string_view json_text(std::string_view raw, std::string& scratch) {
  if (raw.find('\\') == std::string_view::npos) return raw;
  scratch.clear();
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\' || i + 1 == raw.size()) {
      scratch += raw[i];
      continue;
    }
    const char escape = raw[++i];
    switch (escape) {
      case '"': case '\\': case '/': scratch += escape; break;
      case 'b': scratch += '\b'; break;
      case 'f': scratch += '\f'; break;
      case 'n': scratch += '\n'; break;
      case 'r': scratch += '\r'; break;
      case 't': scratch += '\t'; break;
      case 'u': {
        std::optional<std::uint32_t> code = hex4(raw, i + 1);
        if (!code) {
          scratch += "\\u";
          break;
        }
        i += 4;
        if (*code >= 0xD800 && *code < 0xDC00) {  // a high surrogate: its low half should follow
          const auto low = raw.substr(i + 1, 2) == "\\u" ? hex4(raw, i + 3) : std::nullopt;
          if (low && *low >= 0xDC00 && *low < 0xE000) {
            code = 0x10000 + ((*code - 0xD800) << 10) + (*low - 0xDC00);
            i += 6;
          } else {
            code = 0xFFFD;
          }
        } else if (*code >= 0xDC00 && *code < 0xE000) {
          code = 0xFFFD;
        }
        append_utf8(scratch, static_cast<char32_t>(*code));
        break;
      }
      default:
        scratch += '\\';
        scratch += escape;
    }
  }
  return scratch;
}

void add_name(std::vector<std::string>& names, std::string_view name) {
  if (std::find(names.begin(), names.end(), name) == names.end()) names.emplace_back(name);
}

// The last of the strings that open the JSON array at `at` (its '['), which json_value() has
// checked is well formed; empty when it starts with no string.
std::string_view last_string(std::string_view text, std::size_t at) {
  std::string_view last;
  std::string_view string;
  do {
    ++at;  // past '[' or ','
    skip_space(text, at);
    if (text[at] != '"' || !json_string(text, at, string)) break;
    last = string;
    skip_space(text, at);
  } while (text[at] == ',');
  return last;
}

// Objects nested deeper than this are skipped, not searched (and never recursed into).
constexpr int kMaxJsonDepth = 8;

// Reads the object at `at` (its '{'), the value of the member named `name` ("" for the line's
// own), and notes its time and client fields, searching nested objects too: Caddy logs the client
// as request.client_ip, Google Cloud as httpRequest.remoteIp. Empty and null values are not
// fields. False when malformed.
bool json_object(std::string_view text, std::size_t& at, int depth, JsonFields& found, std::string_view name = {}) {
  ++at;
  skip_space(text, at);
  if (at < text.size() && text[at] == '}') {
    ++at;
    return true;
  }
  while (true) {
    skip_space(text, at);
    std::string_view key;
    if (at >= text.size() || text[at] != '"' || !json_string(text, at, key)) return false;
    skip_space(text, at);
    if (at >= text.size() || text[at] != ':') return false;
    ++at;
    skip_space(text, at);
    if (found.names && (at >= text.size() || text[at] != '{')) add_name(*found.names, key);
    if (at < text.size() && text[at] == '{' && depth < kMaxJsonDepth) {
      if (!json_object(text, at, depth + 1, found, key)) return false;
    } else {
      std::string_view value;
      bool is_string = false;
      const std::size_t value_start = at;
      if (!json_value(text, at, value, is_string)) return false;
      // The key field's member; one counting per X-Forwarded-For takes any member named so at its
      // end too, as Traefik prefixes its headers ("request_X-Forwarded-For").
      const bool keyed = found.keyed.empty() && !found.key_field.empty() &&
                         (same_name(key, found.key_field) || (found.forwarded && names_forwarded_for(key)));
      if (text[value_start] == '[' && keyed) {
        found.keyed = last_string(text, value_start);  // Caddy logs each header as a list of its values
      }
      if (!value.empty() && (is_string || value != "null")) {
        // A number of fewer than nine whole digits is no time of a log (that is before 1973): a
        // duration ("time": 0.012), which the time named otherwise ("timestamp") must not lose to.
        if (is_string || std::min(value.find('.'), value.size()) >= 9) keep_best(key, kTimeNames, found.time_rank, found.time, value);
        keep_best(key, kClientNames, found.client_rank, found.client, value, name);
        if (keyed && found.keyed.empty()) found.keyed = value;
        if (found.want_request) {
          keep_best(key, kPathNames, found.path_rank, found.path, value);
          keep_best(key, kMethodNames, found.method_rank, found.method, value);
          if (is_string && same_name(key, "request")) {  // nginx's "$request": "GET /items?x=1 HTTP/1.1"
            const RequestLine line = request_words(value);  // below any member named as above
            if (found.path_rank == kNoName && !line.target.empty()) {
              found.path_rank = kNoName - 1;
              found.path = line.target;
            }
            if (found.method_rank == kNoName && !line.method.empty()) {
              found.method_rank = kNoName - 1;
              found.method = line.method;
            }
          }
        }
      }
    }
    skip_space(text, at);
    if (at < text.size() && text[at] == ',') {
      ++at;
      continue;
    }
    if (at < text.size() && text[at] == '}') {
      ++at;
      return true;
    }
    return false;
  }
}

// A column's index, 0 for none (std::string_view::npos): for the fields a row must have.
std::size_t column_or_0(std::size_t column) { return column == std::string_view::npos ? 0 : column; }
// The field in `column` of a row read up to it, empty for none.
std::string_view field_or_empty(const std::string_view* fields, std::size_t column) {
  return column == std::string_view::npos ? std::string_view() : fields[column];
}

// The request line in the first quoted field at or after `from`, as access logs, HAProxy and AWS
// load balancers write it.
RequestLine quoted_request(std::string_view line, std::size_t from) {
  const std::size_t open = line.find('"', from);
  if (open == std::string_view::npos) return {};
  const std::size_t close = line.find('"', open + 1);
  return request_words(line.substr(open + 1, close == std::string_view::npos ? close : close - open - 1));
}

// A date with its month's name: a C ctime, as uWSGI logs a request's time ("Wed Jan  5 12:00:00
// 2022", local time, read as UTC), or an HTTP date, as Express's morgan does in its default format
// ("Tue, 10 Oct 2000 13:55:36 GMT"); `zoned` as for parse_iso().
std::optional<double> parse_spelled_date(std::string_view s, bool* zoned = nullptr) {
  std::array<std::string_view, 7> fields;
  const std::size_t count = space_fields(s, fields.data(), fields.size());
  const bool http = count == 6 && fields[5] == "GMT";  // weekday, day month year clock GMT
  if (!http && count != 5) return std::nullopt;        // weekday month day clock year
  const std::string_view day_text = fields[http ? 1 : 2];
  const std::string_view clock = fields[http ? 4 : 3];
  int day = 0, year, hour, minute, second;
  if (day_text.size() > 2 || !digits(day_text, 0, day_text.size(), day) || clock.size() != 8 ||
      !digits(clock, 0, 2, hour) || clock[2] != ':' || !digits(clock, 3, 2, minute) || clock[5] != ':' ||
      !digits(clock, 6, 2, second) || fields[http ? 3 : 4].size() != 4 || !digits(fields[http ? 3 : 4], 0, 4, year)) {
    return std::nullopt;
  }
  const int month = month_number(fields[http ? 2 : 1]);
  if (month == 0 || !valid_clock(year, month, day, hour, minute, second)) return std::nullopt;
  if (zoned) *zoned = http;
  return civil_seconds(year, month, day, hour, minute, second);
}

// The fields of one CSV row separated by `separator`, quotes removed ("" inside quotes kept as
// written). Stops once `wanted` fields are read.
std::size_t csv_fields(std::string_view s, std::string_view* out, std::size_t wanted, char separator) {
  std::size_t count = 0;
  std::size_t at = 0;
  while (count < wanted) {
    std::string_view field;
    if (at < s.size() && s[at] == '"') {
      const std::size_t start = ++at;
      while (at < s.size() && !(s[at] == '"' && (at + 1 >= s.size() || s[at + 1] != '"'))) at += s[at] == '"' ? 2 : 1;
      field = s.substr(start, std::min(at, s.size()) - start);
      at = s.find(separator, at);
    } else {
      const std::size_t end = s.find(separator, at);
      field = s.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
      at = end;
    }
    out[count++] = trim(field);
    if (at == std::string_view::npos) break;
    ++at;
  }
  return count;
}

// Calls `each(name, value)` for the `name=value` pairs of `text` (Heroku's router: at=info
// method=GET path="/" fwd="203.0.113.7"; words without '=' are skipped), a quoted value without
// its quotes, until it returns true.
template <typename Each>
void logfmt_pairs(std::string_view text, Each each) {
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t start = at;
    while (at < text.size() && !is_space(text[at]) && text[at] != '=') ++at;
    if (at < text.size() && text[at] == '=') {
      const std::string_view name = text.substr(start, at - start);
      std::size_t end = ++at;
      if (at < text.size() && text[at] == '"') {
        end = std::min(closing_quote(text, at), text.size());
        if (each(name, text.substr(at + 1, end - at - 1))) return;
        at = end + 1;
      } else {
        while (end < text.size() && !is_space(text[end])) ++end;
        if (each(name, text.substr(at, end - at))) return;
      }
    }
    while (at < text.size() && !is_space(text[at])) ++at;
    while (at < text.size() && is_space(text[at])) ++at;
  }
}

// "2024-05-01" and "10:00:00.123" in columns of their own (W3C's date and time, a CSV's) as one
// ISO-8601 time; `zoned` as for parse_iso().
std::optional<double> date_and_clock(std::string_view date, std::string_view clock, bool* zoned = nullptr) {
  std::array<char, 48> iso{};
  if (date.size() + 1 + clock.size() > iso.size()) return std::nullopt;
  std::copy(date.begin(), date.end(), iso.begin());
  iso[date.size()] = 'T';
  std::copy(clock.begin(), clock.end(), iso.begin() + static_cast<std::ptrdiff_t>(date.size()) + 1);
  return parse_iso(std::string_view(iso.data(), date.size() + 1 + clock.size()), zoned);
}

constexpr const char* kNotATime =
    "the time is not epoch seconds, ISO-8601 (2024-05-01T12:00:00Z) or dd/Mon/yyyy:hh:mm:ss +zone";

// Why a time a reader read is none: `form` when the text is not one, or that its day does not
// exist (civil_seconds()); nullptr when it is a time.
const char* bad_time(const std::optional<double>& time, const char* form) {
  if (!time) return form;
  return std::isnan(*time) ? "the date names a day its month does not have (such as 30 February or 31 April)" : nullptr;
}

// parse_log_time(), but a day its month does not have reads as NaN (see bad_time()).
std::optional<double> log_time(std::string_view text, bool* zoned) {
  text = trim(text);
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  if (text.empty()) return std::nullopt;
  if (auto epoch = parse_epoch(text)) {
    if (zoned) *zoned = true;
    return epoch;
  }
  if (auto iso = parse_iso(text, zoned)) return iso;
  return parse_common_log_time(text, zoned);
}

}  // namespace

std::string_view log_format_name(LogFormat format) {
  switch (format) {
    case LogFormat::Auto: return "auto";
    case LogFormat::Common: return "common";
    case LogFormat::Combined: return "combined";
    case LogFormat::JsonLines: return "jsonl";
    case LogFormat::Csv: return "csv";
    case LogFormat::Timestamps: return "timestamps";
    case LogFormat::W3c: return "w3c";
    case LogFormat::Elb: return "elb";
    case LogFormat::Uwsgi: return "uwsgi";
    case LogFormat::Haproxy: return "haproxy";
    case LogFormat::Heroku: return "heroku";
    case LogFormat::Envoy: return "envoy";
  }
  return "auto";
}

std::optional<LogFormat> log_format_from_name(std::string_view name) {
  for (LogFormat format : kLogFormats) {
    if (name == log_format_name(format)) return format;
  }
  return std::nullopt;
}

std::optional<double> parse_log_time(std::string_view text, bool* zoned) {
  const auto time = log_time(text, zoned);
  return time && !std::isnan(*time) ? time : std::nullopt;
}

namespace {

// An IPv4-mapped IPv6 address ("::ffff:10.0.0.2", as Node writes IPv4 clients) as the IPv4 one.
std::string_view unmapped(std::string_view name) {
  constexpr std::string_view kMapped = "::ffff:";
  const bool mapped = name.size() > kMapped.size() &&
                      std::equal(kMapped.begin(), kMapped.end(), name.begin(), [](char a, char b) { return a == lower(b); });
  return mapped ? name.substr(kMapped.size()) : name;
}

}  // namespace

bool is_private_address(std::string_view name) {
  name = unmapped(name);
  // IPv4: the dotted quad's first two numbers.
  int first = -1;
  int second = -1;
  std::size_t at = 0;
  for (int* part : {&first, &second}) {
    const std::size_t start = at;
    int value = 0;
    while (at < name.size() && is_digit(name[at]) && at - start < 3) value = value * 10 + (name[at++] - '0');
    if (at == start || at >= name.size() || name[at] != '.') {
      first = -1;
      break;
    }
    *part = value;
    ++at;
  }
  if (first >= 0) {
    return first == 10 || first == 127 || (first == 172 && second >= 16 && second <= 31) ||
           (first == 192 && second == 168) || (first == 169 && second == 254);
  }
  // IPv6: the loopback, unique local (fc, fd) and link-local (fe8 to feb) prefixes.
  if (name == "::1") return true;
  if (name.size() < 4 || name.find(':') == std::string_view::npos) return false;
  const char a = lower(name[0]);
  const char b = lower(name[1]);
  const char c = lower(name[2]);
  return (a == 'f' && (b == 'c' || b == 'd')) || (a == 'f' && b == 'e' && (c == '8' || c == '9' || c == 'a' || c == 'b'));
}

bool looks_like_proxy(std::string_view name, std::uint64_t requests, std::uint64_t total) {
  return total > 0 && requests * 2 >= total && is_private_address(name);
}

bool is_loopback(std::string_view name) {
  name = unmapped(name);
  return name == "::1" || (name.substr(0, 4) == "127." && name.size() > 4 && is_digit(name[4]));
}

bool path_within(std::string_view target, std::string_view path) {
  const std::size_t scheme = target.find("://");
  if (scheme != std::string_view::npos && scheme < target.find('/')) {  // a URL: from the host's end on
    const std::size_t slash = target.find('/', scheme + 3);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  target = target.substr(0, target.find_first_of("?#"));
  if (target.substr(0, path.size()) != path) return false;
  return target.size() == path.size() || path.back() == '/' || target[path.size()] == '/';
}

bool names_forwarded_for(std::string_view field) {
  constexpr std::string_view kForwarded = "xforwardedfor";
  const std::string key = field_key(field);
  return key.size() >= kForwarded.size() && std::string_view(key).substr(key.size() - kForwarded.size()) == kForwarded;
}

std::string_view forwarded_client(std::string_view value, int public_proxies, bool* public_before) {
  if (public_before) *public_before = false;
  value = trim(value);
  if (value == "-") return {};
  std::string_view first;  // the furthest from the right so far
  std::string_view client;
  while (!value.empty()) {
    const std::size_t comma = value.rfind(',');
    const std::string_view address = trim(comma == std::string_view::npos ? value : value.substr(comma + 1));
    value = comma == std::string_view::npos ? std::string_view() : value.substr(0, comma);
    if (address.empty()) continue;
    if (!client.empty()) {  // only asked whether a public address comes before the client
      if (!is_private_address(address)) {
        *public_before = true;
        break;
      }
      continue;
    }
    first = address;
    if (is_private_address(address) || public_proxies-- > 0) continue;
    client = address;
    if (!public_before) break;
  }
  return client.empty() ? first : client;
}

std::optional<AccessLogParser::ClientRequests> AccessLogParser::proxy_like_client() const {
  std::vector<std::uint64_t> requests(client_count(), 0);
  for (KeyId id : clients_) ++requests[id];
  const auto busiest = std::max_element(requests.begin(), requests.end());
  if (busiest == requests.end()) return std::nullopt;
  const auto id = static_cast<KeyId>(busiest - requests.begin());
  if (!looks_like_proxy(client_name(id), *busiest, clients_.size())) return std::nullopt;
  return ClientRequests{id, *busiest, is_loopback(client_name(id))};
}

AccessLogParser::AccessLogParser(LogFormat format, std::string_view key_field, const RequestFilter& filter,
                                 int public_proxies)
    : format_(format), public_proxies_(public_proxies) {
  // A route sees every query string: a path given with one ("/search?q=a") is its path alone.
  const std::string path = filter.path.substr(0, filter.path.find_first_of("?#"));
  filter_.path = path.empty() || path.front() == '/' ? path : "/" + path;
  std::string_view methods = filter.methods;
  while (!methods.empty()) {
    const std::size_t comma = methods.find(',');
    const std::string_view method = trim(methods.substr(0, comma));
    if (!method.empty()) {
      std::string upper;
      for (char c : method) upper += c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
      methods_.push_back(upper);
      filter_.methods += (filter_.methods.empty() ? "" : ",") + upper;
    }
    methods = comma == std::string_view::npos ? std::string_view() : methods.substr(comma + 1);
  }
  key_field_ = field_key(key_field);
  forwarded_ = names_forwarded_for(key_field);
}

void AccessLogParser::feed(std::string_view chunk) {
  bytes_ += chunk.size();
  while (!chunk.empty() && !skip_file_) {
    const std::size_t newline = chunk.find('\n');
    const std::string_view piece = chunk.substr(0, newline);
    if (!overlong_ && carry_.size() + piece.size() > kMaxLineBytes) {
      overlong_ = true;
      carry_.append(piece.substr(0, kBadLineExcerpt));
    } else if (!overlong_ && (newline == std::string_view::npos || !carry_.empty())) {
      carry_.append(piece);
    }
    if (newline == std::string_view::npos) return;
    chunk.remove_prefix(newline + 1);
    if (overlong_) {
      overlong_line();
      overlong_ = false;
    } else {
      line(carry_.empty() ? piece : std::string_view(carry_));
    }
    carry_.clear();
  }
}

void AccessLogParser::end_file() {
  if (skip_file_) {
    skip_file_ = false;
  } else if (overlong_) {
    overlong_line();
  } else if (!carry_.empty()) {
    line(carry_);
  }
  carry_.clear();
  overlong_ = false;
  ++file_;
  file_line_ = 0;
  file_max_time_ = -std::numeric_limits<double>::infinity();
  if (format_ == LogFormat::Csv) columns_named_ = false;  // the next file starts with its header
}

void AccessLogParser::break_off(std::string_view reason) {
  ++lines_;
  ++file_line_;
  bad_rest(carry_, file_line_ == 1 ? "the file cannot be read (" + std::string(reason) + ")"
                                   : "the file breaks off here (" + std::string(reason) + "); the lines before it were read");
  carry_.clear();
  overlong_ = false;
}

void AccessLogParser::finish() {
  end_file();
  if (sorted_) return;
  // Sorted by (time, position in the file): equal times keep file order.
  std::vector<std::pair<double, std::uint32_t>> order(times_.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = {times_[i], static_cast<std::uint32_t>(i)};
  std::sort(order.begin(), order.end());
  std::vector<double> times(times_.size());
  std::vector<KeyId> clients(clients_.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    times[i] = order[i].first;
    clients[i] = clients_[order[i].second];
  }
  times_.swap(times);
  clients_.swap(clients);
}

void AccessLogParser::overlong_line() {
  ++lines_;
  ++file_line_;
  if (!unreadable_file(carry_)) bad(carry_, "the line is longer than 65536 bytes");
}

bool AccessLogParser::unreadable_file(std::string_view line) {
  constexpr std::uint64_t kLinesLookedAt = 8;
  if (file_line_ > kLinesLookedAt) return false;
  // Text logs escape control characters (nginx writes \x1B); ESC alone is let through, for a
  // console log kept with its colours. A binary file's first line may still look like text (a
  // PNG's does), but it soon holds a NUL byte, which no text does.
  const auto control = [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return (byte < 0x20 && c != '\t' && c != '\r' && c != '\f' && c != '\x1b') || byte == 0x7f;
  };
  std::string reason;
  if (file_line_ > 1) {
    if (line.find('\0') == std::string_view::npos) return false;
    reason = "the file is binary, not a text log (line " + std::to_string(file_line_) + " holds a NUL byte)";
  } else if (const char* compression = compression_of(line)) {
    reason = std::string("the file is compressed with ") + compression + ": decompress it first" +
             (std::string_view(compression) == "gzip" ? "" : ", or compress it with gzip instead");
  } else if (line.substr(0, 2) == "\xFF\xFE" || line.substr(0, 2) == "\xFE\xFF") {
    reason = "the file is UTF-16 text: save it as UTF-8 first";
  } else if (std::any_of(line.begin(), line.end(), control)) {
    reason = "the file is binary, not a text log (its first line holds control characters)";
  } else {
    return false;
  }
  skip_file_ = true;
  bad_rest({}, reason);
  return true;
}

void AccessLogParser::line(std::string_view text) {
  ++lines_;
  ++file_line_;
  if (unreadable_file(text)) return;
  if (file_line_ == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 BOM
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  const std::string_view content = trim(text);
  if (content.empty()) return;
  if (content.front() == '#') {  // a comment, or a W3C directive
    constexpr std::string_view kFields = "#Fields:";
    if (content.substr(0, kFields.size()) != kFields) return;
    if (format_ == LogFormat::W3c) {
      if (const char* reason = read_w3c_fields(content.substr(kFields.size()))) bad(text, reason);
    } else if (format_ == LogFormat::Auto && read_w3c_fields(content.substr(kFields.size())) == nullptr) {
      format_ = LogFormat::W3c;
    }
    if (columns_named_ && !fields_noted_) note_fields(content.substr(kFields.size()));
    return;
  }
  if (const char* reason = read(content)) {
    bad(text, reason);
  } else if (!fields_noted_) {
    note_fields(content);
  }
}

void AccessLogParser::note_fields(std::string_view text) {
  fields_noted_ = true;
  constexpr std::size_t kMaxColumns = 64;
  std::array<std::string_view, kMaxColumns> fields;
  std::size_t count = 0;
  switch (format_) {
    case LogFormat::JsonLines: {
      JsonFields found;
      found.names = &field_names_;
      std::size_t at = 0;
      json_object(text, at, 0, found);
      return;
    }
    case LogFormat::Csv: count = csv_fields(text, fields.data(), kMaxColumns, csv_separator_); break;
    case LogFormat::W3c: count = space_fields(text, fields.data(), kMaxColumns); break;  // a #Fields directive
    case LogFormat::Common:
    case LogFormat::Combined:
      fields[count++] = "user";
      if (!forwarded_field(text, text.find(']')).empty()) fields[count++] = "x-forwarded-for";
      break;
    case LogFormat::Uwsgi: fields[count++] = "user"; break;
    case LogFormat::Heroku:
      logfmt_pairs(text, [this](std::string_view name, std::string_view) {
        add_name(field_names_, name);
        return false;
      });
      return;
    default: break;
  }
  for (std::size_t i = 0; i < count; ++i) add_name(field_names_, fields[i]);
}

const char* AccessLogParser::read(std::string_view text) {
  switch (format_) {
    case LogFormat::Common:
    case LogFormat::Combined: return read_access_log(text);
    case LogFormat::JsonLines: return read_json(text);
    case LogFormat::Csv: return columns_named_ ? read_csv_row(text) : read_csv_header(text);
    case LogFormat::Timestamps: return read_timestamp(text);
    case LogFormat::W3c: return read_w3c(text);
    case LogFormat::Elb: return read_elb(text);
    case LogFormat::Uwsgi: return read_uwsgi(text);
    case LogFormat::Haproxy: return read_haproxy(text);
    case LogFormat::Heroku: return read_heroku(text);
    case LogFormat::Envoy: return read_envoy(text);
    case LogFormat::Auto: break;
  }
  // The first line that reads as some format decides it.
  if (text.substr(0, kUwsgiStart.size()) == kUwsgiStart) {
    if (read_uwsgi(text) == nullptr) {
      format_ = LogFormat::Uwsgi;
      return nullptr;
    }
  } else if (text.front() == '{') {
    if (read_json(text) == nullptr) {
      format_ = LogFormat::JsonLines;
      return nullptr;
    }
  } else if (read_haproxy(text) == nullptr) {  // before the access log, whose [date] it shares
    format_ = LogFormat::Haproxy;
    return nullptr;
  } else if (read_access_log(text) == nullptr) {
    format_ = std::count(text.begin(), text.end(), '"') >= 6 ? LogFormat::Combined : LogFormat::Common;
    return nullptr;
  } else if (read_heroku(text) == nullptr) {
    format_ = LogFormat::Heroku;
    return nullptr;
  } else if (read_envoy(text) == nullptr) {
    format_ = LogFormat::Envoy;
    return nullptr;
  } else if (read_elb(text) == nullptr) {
    format_ = LogFormat::Elb;
    return nullptr;
  } else if (read_timestamp(text) == nullptr) {
    format_ = LogFormat::Timestamps;
    return nullptr;
  } else if (read_csv_header(text) == nullptr) {
    format_ = LogFormat::Csv;
    return nullptr;
  }
  return "not a line of a known format (access log, JSON object, HAProxy, AWS load balancer, Heroku router, Envoy "
         "or uWSGI log, CSV header naming a time column, or a time)";
}

const char* AccessLogParser::read_access_log(std::string_view text) {
  const std::size_t client_end = text.find(' ');
  if (client_end == std::string_view::npos) return "expected `client - user [date] \"request\" ...`";
  const std::size_t open = text.find('[', client_end);
  // "client ident user [date]": the three words before the date. Words before those are a prefix
  // some setups write (Apache's vhost_combined "host:port", a syslog header, a container
  // runtime's "time stdout F"), and Python's logging glues "INFO:werkzeug:" to the client.
  std::array<std::string_view, 3> words;
  const std::size_t count = open == std::string_view::npos ? 0 : last_words(text.substr(0, open), words);
  const std::size_t close = open == std::string_view::npos ? open : text.find(']', open);
  if (close == std::string_view::npos) return "no [date] field";
  bool zoned = false;
  const std::string_view date = text.substr(open + 1, close - open - 1);
  auto time = parse_common_log_time(date, &zoned);
  if (!time) time = parse_iso(date, &zoned);  // nginx's $time_iso8601
  if (!time) time = parse_spelled_date(date, &zoned);  // morgan's default format
  if (const char* reason = bad_time(time, "the [date] is not dd/Mon/yyyy:hh:mm:ss +zone, ISO 8601 or an HTTP date")) return reason;
  if (filtering() && outside(quoted_request(text, close))) return nullptr;
  if (key_field_ == "user") {  // the authenticated user, "-" for none
    take(count == 3 && words[2] != "-" ? words[2] : std::string_view(), *time, zoned);
  } else if (forwarded_) {
    take(forwarded_field(text, close), *time, zoned);
  } else {
    if (key_field_.empty() && !forwarded_field(text, close).empty()) ++forwarded_for_;
    take(address_or_none(count == 3 ? without_logging_prefix(words[0]) : text.substr(0, client_end)), *time, zoned);
  }
  return nullptr;
}

const char* AccessLogParser::read_json(std::string_view text) {
  if (text.front() != '{') return "not a JSON object";
  JsonFields found;
  found.key_field = key_field_;
  found.forwarded = forwarded_;
  found.want_request = filtering();
  std::size_t at = 0;
  if (!json_object(text, at, 0, found)) return "malformed JSON";
  if (found.time_rank == kNoName) return "no time field (time, timestamp, ts, @timestamp, ...)";
  bool zoned = false;
  const auto time = log_time(found.time, &zoned);
  if (const char* reason = bad_time(time, kNotATime)) return reason;
  if (filtering() && outside({found.method, json_text(found.path, json_path_)})) return nullptr;
  take(json_text(key_field_.empty() ? found.client : found.keyed, json_client_), *time, zoned);
  return nullptr;
}

const char* AccessLogParser::read_csv_header(std::string_view text) {
  constexpr std::size_t kMaxColumns = 64;
  std::array<std::string_view, kMaxColumns> fields;
  // Spreadsheets where the comma is the decimal sign (much of Europe) separate with semicolons.
  csv_separator_ = std::count(text.begin(), text.end(), ';') > std::count(text.begin(), text.end(), ',') ? ';' : ',';
  const std::size_t count = csv_fields(text, fields.data(), kMaxColumns, csv_separator_);
  std::size_t time_rank = kNoName;
  std::size_t client_rank = kNoName;
  std::size_t path_rank = kNoName;
  std::size_t method_rank = kNoName;
  time_column_ = date_column_ = client_column_ = path_column_ = method_column_ = std::string_view::npos;  // a new file's header
  for (std::size_t i = 0; i < count; ++i) {
    if (date_column_ == std::string_view::npos && same_name(fields[i], "date")) date_column_ = i;
    keep_best(fields[i], kTimeNames, time_rank, time_column_, i);
    keep_best(fields[i], kClientNames, client_rank, client_column_, i);
    keep_best(fields[i], kPathNames, path_rank, path_column_, i);
    keep_best(fields[i], kMethodNames, method_rank, method_column_, i);
  }
  if (time_rank == kNoName) {
    time_column_ = client_column_ = std::string_view::npos;
    return "the CSV header names no time column (time, timestamp, ts, ...)";
  }
  if (date_column_ == time_column_) date_column_ = std::string_view::npos;  // the date is no column of its own
  if (!key_field_.empty()) {  // the column named so, instead of the client's
    client_column_ = std::string_view::npos;
    for (std::size_t i = count; i-- > 0;) {
      if (same_name(fields[i], key_field_)) client_column_ = i;
    }
  }
  columns_named_ = true;
  return nullptr;
}

const char* AccessLogParser::read_csv_row(std::string_view text) {
  constexpr std::size_t kMaxColumns = 64;
  std::array<std::string_view, kMaxColumns> fields;
  const std::size_t wanted = std::max({time_column_, column_or_0(date_column_), column_or_0(client_column_),
                                       filter_column(path_column_), filter_column(method_column_)}) + 1;
  // A row that ends early (a tool that leaves out trailing empty fields) has them empty, so
  // whether it counts does not depend on which columns this replay reads; without its time it
  // cannot.
  const std::size_t count = csv_fields(text, fields.data(), wanted, csv_separator_);
  if (count <= time_column_) return "fewer columns than the header: the row ends before its time";
  std::fill(fields.begin() + static_cast<std::ptrdiff_t>(count), fields.begin() + static_cast<std::ptrdiff_t>(wanted),
            std::string_view{});
  bool zoned = false;
  auto time = log_time(fields[time_column_], &zoned);
  if (!time && date_column_ != std::string_view::npos) time = date_and_clock(fields[date_column_], fields[time_column_], &zoned);
  if (const char* reason = bad_time(time, kNotATime)) return reason;
  if (filtering() && outside(row_request(fields.data()))) return nullptr;
  take(field_or_empty(fields.data(), client_column_), *time, zoned);
  return nullptr;
}

const char* AccessLogParser::read_timestamp(std::string_view text) {
  bool zoned = false;
  const auto time = log_time(text, &zoned);
  if (const char* reason = bad_time(time, kNotATime)) return reason;
  if (filtering() && outside({})) return nullptr;  // no request line to keep
  take({}, *time, zoned);
  return nullptr;
}

const char* AccessLogParser::read_w3c_fields(std::string_view names) {
  constexpr std::size_t kMaxColumns = 64;
  std::array<std::string_view, kMaxColumns> fields;
  const std::size_t count = space_fields(names, fields.data(), kMaxColumns);
  time_column_ = date_column_ = client_column_ = path_column_ = method_column_ = std::string_view::npos;
  for (std::size_t i = 0; i < count; ++i) {
    if (same_name(fields[i], "date")) date_column_ = i;
    if (same_name(fields[i], "time")) time_column_ = i;
    if (same_name(fields[i], "csuristem")) path_column_ = i;
    if (same_name(fields[i], "csmethod")) method_column_ = i;
    if (same_name(fields[i], key_field_.empty() ? std::string_view("cip") : std::string_view(key_field_))) {
      client_column_ = i;
    }
  }
  columns_named_ = date_column_ != std::string_view::npos && time_column_ != std::string_view::npos;
  return columns_named_ ? nullptr : "the #Fields directive names no date and time fields";
}

const char* AccessLogParser::read_w3c(std::string_view text) {
  if (!columns_named_) return "no #Fields directive naming date and time before this line";
  constexpr std::size_t kMaxColumns = 64;
  std::array<std::string_view, kMaxColumns> fields;
  const std::size_t wanted = std::max({date_column_, time_column_, column_or_0(client_column_),
                                       filter_column(path_column_), filter_column(method_column_)}) + 1;
  if (space_fields(text, fields.data(), wanted) < wanted) return "fewer fields than the #Fields directive names";
  const auto time = date_and_clock(fields[date_column_], fields[time_column_]);  // UTC, as W3C has it
  if (const char* reason = bad_time(time, "the date and time are not yyyy-mm-dd hh:mm:ss")) return reason;
  if (filtering() && outside(row_request(fields.data()))) return nullptr;
  const std::string_view client = field_or_empty(fields.data(), client_column_);
  take(client == "-" ? "" : client, *time, true);
  return nullptr;
}

const char* AccessLogParser::read_elb(std::string_view text) {
  // An Application Load Balancer's line starts with the request's type; a Classic one's with the time.
  static constexpr std::string_view kTypes[] = {"http", "https", "h2", "grpcs", "ws", "wss"};
  // An Application Load Balancer's `time` is when it sent the response; its request_creation_time
  // (the 22nd field, missing from logs older than 2018), when the request came, as a Classic one's
  // `time` is.
  constexpr std::size_t kRequestCreationTime = 21;
  std::array<std::string_view, kRequestCreationTime + 1> fields;
  const std::size_t count = space_fields(text, fields.data(), fields.size());
  const bool typed = count > 0 && std::find(std::begin(kTypes), std::end(kTypes), fields[0]) != std::end(kTypes);
  const std::size_t at = typed ? 1 : 0;
  if (count < at + 3) return "expected `[type] time load-balancer client:port ...`";
  bool zoned = false;
  auto time = typed && count > kRequestCreationTime ? parse_iso(fields[kRequestCreationTime], &zoned) : std::nullopt;
  if (!time) time = parse_iso(fields[at], &zoned);
  if (const char* reason = bad_time(time, "the time is not ISO-8601 (2024-05-01T10:00:00.186641Z)")) return reason;
  const auto client = without_port(fields[at + 2]);
  if (!client) return "the client is not address:port";
  if (filtering() && outside(quoted_request(text, 0))) return nullptr;
  take(address_or_none(*client), *time, zoned);
  return nullptr;
}

const char* AccessLogParser::read_haproxy(std::string_view text) {
  // [syslog prefix: ]10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in static/srv1 10/0/30/69/109 200 ...
  const std::size_t open = text.find(" [");
  const std::size_t close = open == std::string_view::npos ? open : text.find(']', open);
  if (close == std::string_view::npos) return "expected `client:port [date] frontend backend/server ...`";
  const std::size_t space = text.rfind(' ', open - 1);
  const std::size_t client_start = space == std::string_view::npos ? 0 : space + 1;
  const auto client = without_port(text.substr(client_start, open - client_start));
  if (!client) return "the client before the [date] is not address:port";
  bool zoned = false;
  const auto time = parse_common_log_time(text.substr(open + 2, close - open - 2), &zoned);
  if (const char* reason = bad_time(time, "the [date] is not dd/Mon/yyyy:hh:mm:ss.mmm")) return reason;
  if (filtering() && outside(quoted_request(text, close))) return nullptr;
  take(address_or_none(*client), *time, zoned);
  return nullptr;
}

const char* AccessLogParser::read_heroku(std::string_view text) {
  // [83 ][<158>1 ]2024-05-01T10:00:00.123456+00:00 heroku[router]: at=info method=GET path="/" ... fwd="203.0.113.7" ...
  constexpr const char* kExpected = "expected `time heroku[router]: at=info method=... path=... fwd=\"...\" ...`";
  std::array<std::string_view, 3> words;
  const std::size_t count = space_fields(text, words.data(), words.size());
  // An HTTPS drain's octet count (RFC 6587 framing), then a syslog drain's priority and version.
  std::size_t stamp = count > 0 && !words[0].empty() && std::all_of(words[0].begin(), words[0].end(), is_digit) ? 1 : 0;
  if (stamp < count && !words[stamp].empty() && words[stamp].front() == '<') ++stamp;
  if (stamp >= count) return kExpected;
  bool zoned = false;
  const auto time = parse_iso(words[stamp], &zoned);
  if (const char* reason = bad_time(time, kExpected)) return reason;
  RequestLine request;
  std::string_view forwarded;
  std::string_view keyed;
  logfmt_pairs(text, [&](std::string_view name, std::string_view value) {
    if (name == "method") request.method = value;
    if (name == "path") request.target = value;
    if (name == "fwd") forwarded = value;
    if (!key_field_.empty() && keyed.empty() && same_name(name, key_field_)) keyed = value;
    return false;
  });
  if (forwarded.empty()) return kExpected;  // not the router's (an app's line, or a dyno's state)
  if (filtering() && outside(request)) return nullptr;
  if (forwarded_) {
    take(forwarded, *time, zoned);
  } else {
    take(key_field_.empty() ? forwarded_client(forwarded, public_proxies_) : keyed, *time, zoned);
  }
  return nullptr;
}

const char* AccessLogParser::read_envoy(std::string_view text) {
  // Envoy: [2016-04-15T20:17:00.310Z] "POST /api/v1/locations HTTP/2" 204 - 154 0 226 100 "10.0.35.28" "nsq2http" ...
  // Istio, three more fields before the byte counts and the connection's addresses at the end:
  // [2020-11-25T21:26:18.409Z] "GET /status/418 HTTP/1.1" 418 - via_upstream - "-" 0 135 4 4 "-" "curl/7.73.0-DEV"
  //   "84961386-..." "httpbin:8000" "10.44.1.27:80" outbound|8000||httpbin... 10.44.1.23:37652 10.0.45.184:8000
  //   10.44.1.23:46520 - default
  constexpr const char* kExpected =
      "expected `[start time] \"request\" status flags received sent duration upstream-time \"x-forwarded-for\" ...`";
  constexpr std::size_t kForwardedFor = 7;        // the fields after the [start time]
  constexpr std::size_t kIstioForwardedFor = 10;
  constexpr std::size_t kIstioRemote = 18;        // downstream remote address:port
  const std::size_t close = !text.empty() && text.front() == '[' ? text.find(']') : std::string_view::npos;
  if (close == std::string_view::npos) return kExpected;
  bool zoned = false;
  const auto time = parse_iso(text.substr(1, close - 1), &zoned);
  if (const char* reason = bad_time(time, "the [start time] is not ISO-8601 (2016-04-15T20:17:00.310Z)")) return reason;
  std::array<std::string_view, kIstioRemote + 1> fields;
  const std::size_t count = space_fields(text.substr(close + 1), fields.data(), fields.size());
  if (count <= kForwardedFor) return kExpected;
  // X-Forwarded-For, "-" when absent: where Envoy's format has it, or else where Istio's does.
  const auto forwarded_at = [&](std::size_t i) { return count > i && (fields[i] == "-" || lists_addresses(fields[i])); };
  const bool istio = !forwarded_at(kForwardedFor) && forwarded_at(kIstioForwardedFor) && count > kIstioRemote;
  if (!istio && !forwarded_at(kForwardedFor)) {
    return "no X-Forwarded-For field (addresses or -) where Envoy's or Istio's default format has it";
  }
  if (filtering() && outside(request_words(fields[0]))) return nullptr;
  const std::string_view forwarded = fields[istio ? kIstioForwardedFor : kForwardedFor];
  if (istio && forwarded == "-") {  // a client that came directly: the connection's address
    take(address_or_none(client_address(fields[kIstioRemote])), *time, zoned);
  } else {
    take(forwarded_ ? forwarded : address_or_none(forwarded_client(forwarded, public_proxies_)), *time, zoned);
  }
  return nullptr;
}

const char* AccessLogParser::read_uwsgi(std::string_view text) {
  // [pid: 11|app: 0|req: 1/1] 172.17.0.1 () {38 vars in 700 bytes} [Wed Jan  5 12:00:00 2022] GET / => ...
  const std::size_t head_end = text.find("] ");
  if (text.substr(0, kUwsgiStart.size()) != kUwsgiStart || head_end == std::string_view::npos) {
    return "expected `[pid: ...] client () {...} [date] ...`";
  }
  const std::string_view rest = text.substr(head_end + 2);
  const std::size_t client_end = rest.find(' ');
  const std::string_view client = rest.substr(0, client_end);
  const std::size_t open = rest.find(" [");
  const std::size_t close = open == std::string_view::npos ? open : rest.find(']', open);
  if (close == std::string_view::npos) return "no [date] field";
  const auto time = parse_spelled_date(rest.substr(open + 2, close - open - 2));
  if (const char* reason = bad_time(time, "the [date] is not as uWSGI writes it (Wed Jan  5 12:00:00 2022)")) return reason;
  if (filtering() && outside(request_words(rest.substr(close + 1)))) return nullptr;  // [date] GET /path => ...
  // (A ctime names no zone.)
  if (key_field_ == "user") {  // client (user) {...}: the authenticated user, "()" for none
    std::string_view user;
    const std::size_t user_open = client_end == std::string_view::npos ? client_end : client_end + 1;
    const std::size_t user_close = user_open < rest.size() && rest[user_open] == '(' ? rest.find(')', user_open)
                                                                                     : std::string_view::npos;
    if (user_close != std::string_view::npos) user = rest.substr(user_open + 1, user_close - user_open - 1);
    take(user, *time, false);
  } else {
    take(address_or_none(client), *time, false);
  }
  return nullptr;
}

bool AccessLogParser::outside(const RequestLine& request) {
  const std::string_view method = request.method;
  const bool kept =
      (filter_.path.empty() || path_within(request.target, filter_.path)) &&
      (methods_.empty() || std::any_of(methods_.begin(), methods_.end(), [method](const std::string& wanted) {
         return wanted.size() == method.size() &&
                std::equal(method.begin(), method.end(), wanted.begin(), [](char a, char b) { return lower(a) == lower(b); });
       }));
  if (!kept) ++left_out_;
  return !kept;
}

std::size_t AccessLogParser::filter_column(std::size_t column) const { return filtering() ? column_or_0(column) : 0; }

RequestLine AccessLogParser::row_request(const std::string_view* fields) const {
  return {field_or_empty(fields, method_column_), field_or_empty(fields, path_column_)};
}

void AccessLogParser::take(std::string_view client, double time, bool zoned) {
  if (forwarded_) {
    bool public_before = false;
    client = forwarded_client(client, public_proxies_, &public_before);
    forwarded_beyond_ += public_before;
  }
  if (key_field_.empty() || forwarded_) client = client_address(client);  // an address, not a field's value
  if (time < file_max_time_) ++out_of_order_;
  if (time < max_time_) sorted_ = false;
  file_max_time_ = std::max(file_max_time_, time);
  max_time_ = std::max(max_time_, time);
  if (client.empty()) ++without_client_;
  if (!zoned) ++without_zone_;
  clients_.push_back(intern(client));
  times_.push_back(time);
}

KeyId AccessLogParser::intern(std::string_view client) {
  if (client_count() > 0 && client_name(last_id_) == client) return last_id_;
  if (client_count() * 2 >= slots_.size()) {  // keep the table at most half full
    std::vector<KeyId> grown(std::max<std::size_t>(64, slots_.size() * 2), kNoSlot);
    for (KeyId id = 0; id < client_count(); ++id) {
      std::size_t at = name_hash(client_name(id)) & (grown.size() - 1);
      while (grown[at] != kNoSlot) at = (at + 1) & (grown.size() - 1);
      grown[at] = id;
    }
    slots_.swap(grown);
  }
  std::size_t at = name_hash(client) & (slots_.size() - 1);
  while (slots_[at] != kNoSlot) {
    if (client_name(slots_[at]) == client) return last_id_ = slots_[at];
    at = (at + 1) & (slots_.size() - 1);
  }
  names_.append(client);
  name_starts_.push_back(names_.size());
  slots_[at] = static_cast<KeyId>(client_count() - 1);
  return last_id_ = slots_[at];
}

void AccessLogParser::bad(std::string_view text, std::string_view reason) {
  ++bad_count_;
  if (bad_samples_.size() >= kMaxBadSamples) return;
  std::size_t cut = std::min(text.size(), kBadLineExcerpt);
  while (cut < text.size() && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
  bad_samples_.push_back(BadLine{file_line_, std::string(reason), std::string(text.substr(0, cut)), file_});
}

void AccessLogParser::bad_rest(std::string_view text, const std::string& reason) {
  bad(text, reason);
  unread_.push_back(BadLine{file_line_, reason, {}, file_});
}

}  // namespace ratelimit
