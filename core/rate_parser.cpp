// The rate-string scanner. It decodes UTF-8, splits the text into tokens, then walks the grammar of
// limits 2.8.0 `parse_many` once, left to right (no regex, no backtracking), so it runs in linear
// time on any input. The first offending token becomes a ParseError; hints reuse the user's own
// numbers and unit, read leniently from the rest of the limit (`Sketch`).
#include <algorithm>
#include <cstdint>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/format.hpp"
#include "core/rate.hpp"

namespace ratelimit {
namespace {

// Python 3.11's int() refuses numerals with more digits than this, so limits rejects them too.
constexpr std::size_t kMaxPythonDigits = 4300;
constexpr std::size_t kQuoteLength = 24;  // quotes of the user's text longer than this are cut

// ---------------------------------------------------------------- characters

// Python's str.isspace(), which is what `\s` matches in limits' regex.
bool is_space(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}

bool is_ascii_digit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool is_ascii_letter(char32_t c) { return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z'); }
bool is_separator(char32_t c) { return c == U',' || c == U';' || c == U'|'; }
bool is_control(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

// Characters nobody means to type: controls, and zero-width or direction marks that come with
// copied text. Only asked about characters that are not whitespace.
bool is_invisible(char32_t c) {
  return is_control(c) || c == 0xAD || (c >= 0x200B && c <= 0x200F) ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x2064) || c == 0xFEFF;
}

// The value 0-9 of a non-ASCII decimal digit (Unicode 14 category Nd, as in Python 3.11), else -1.
int foreign_digit_value(char32_t c) {
  static constexpr char32_t kZeros[] = {
      0x660,   0x6F0,   0x7C0,   0x966,   0x9E6,   0xA66,   0xAE6,   0xB66,   0xBE6,   0xC66,
      0xCE6,   0xD66,   0xDE6,   0xE50,   0xED0,   0xF20,   0x1040,  0x1090,  0x17E0,  0x1810,
      0x1946,  0x19D0,  0x1A80,  0x1A90,  0x1B50,  0x1BB0,  0x1C40,  0x1C50,  0xA620,  0xA8D0,
      0xA900,  0xA9D0,  0xA9F0,  0xAA50,  0xABF0,  0xFF10,  0x104A0, 0x10D30, 0x11066, 0x110F0,
      0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950,
      0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC,
      0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0};
  for (char32_t zero : kZeros) {
    if (c >= zero && c < zero + 10) return static_cast<int>(c - zero);
  }
  return -1;
}

std::string code_point_name(char32_t c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string digits;
  for (std::uint32_t v = c; v != 0 || digits.size() < 4; v >>= 4) digits.insert(digits.begin(), kHex[v & 0xF]);
  return "U+" + digits;
}

std::size_t count_code_points(std::string_view bytes) {
  std::size_t count = 0;
  for (char b : bytes) count += (static_cast<unsigned char>(b) & 0xC0) != 0x80;
  return count;
}

// Strict UTF-8 (no overlong forms, surrogates or values above U+10FFFF). The error points at
// the character the broken sequence would have been.
std::variant<std::u32string, ParseError> decode_utf8(std::string_view bytes) {
  std::u32string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size();) {
    const auto lead = static_cast<unsigned char>(bytes[i]);
    const std::size_t size = lead < 0x80                    ? 1
                             : (lead >= 0xC2 && lead <= 0xDF) ? 2
                             : (lead >= 0xE0 && lead <= 0xEF) ? 3
                             : (lead >= 0xF0 && lead <= 0xF4) ? 4
                                                              : 0;
    auto c = static_cast<char32_t>(size == 1 ? lead : lead & (0x7F >> size));
    bool ok = size != 0 && i + size <= bytes.size();
    for (std::size_t k = 1; ok && k < size; ++k) {
      const auto next = static_cast<unsigned char>(bytes[i + k]);
      ok = (next & 0xC0) == 0x80;
      c = (c << 6) | (next & 0x3F);
    }
    ok = ok && !(size == 3 && c < 0x800) && !(size == 4 && (c < 0x10000 || c > 0x10FFFF)) &&
         !(c >= 0xD800 && c <= 0xDFFF);
    if (!ok) {
      return ParseError{"this character is not valid UTF-8 text", out.size(), 1,
                        "retype it; it may come from text in another encoding"};
    }
    out += c;
    i += size;
  }
  return out;
}

// ---------------------------------------------------------------- words and units

// A word's letters in ASCII lowercase. Python's IGNORECASE also equates ſ (U+017F) with s and
// ı (U+0131), İ (U+0130) with i; those become s and i here, and the first one is remembered
// because limits rejects them inside a unit name. Any other character becomes '?'.
struct FoldedWord {
  std::string letters;
  std::size_t first_look_alike = std::string::npos;
};

FoldedWord fold(std::u32string_view word) {
  FoldedWord folded;
  for (char32_t c : word) {
    char letter = '?';
    if (is_ascii_letter(c)) {
      letter = static_cast<char>(c | 0x20);
    } else if (c == 0x17F || c == 0x130 || c == 0x131) {
      letter = c == 0x17F ? 's' : 'i';
      if (folded.first_look_alike == std::string::npos) folded.first_look_alike = folded.letters.size();
    }
    folded.letters += letter;
  }
  return folded;
}

constexpr Granularity kUnits[] = {Granularity::Second, Granularity::Minute, Granularity::Hour,
                                  Granularity::Day,    Granularity::Month,  Granularity::Year};

std::string unit_word(Granularity g, bool plural) {
  std::string word(granularity_name(g));
  if (plural) word += 's';
  return word;
}

enum class UnitMatch { Unknown, Exact, LookAlike, DoubledPlural };

struct UnitWord {
  UnitMatch match = UnitMatch::Unknown;
  Granularity unit = Granularity::Second;
  bool plural = false;
};

UnitWord classify_unit(const FoldedWord& word) {
  const std::string_view letters = word.letters;
  for (Granularity g : kUnits) {
    const std::string_view name = granularity_name(g);
    if (letters.substr(0, name.size()) != name) continue;
    const std::string_view rest = letters.substr(name.size());
    if (rest.empty() || rest == "s") {
      // A look-alike in the plural s is fine: it sits outside the unit limits looks up.
      const bool look_alike = word.first_look_alike < name.size();
      return {look_alike ? UnitMatch::LookAlike : UnitMatch::Exact, g, !rest.empty()};
    }
    if (rest.find_first_not_of('s') == std::string_view::npos) return {UnitMatch::DoubledPlural, g, true};
  }
  return {};
}

// Optimal string alignment distance (edits and adjacent swaps); callers keep the words short.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// The edit distance, or max_edits + 1 when the lengths alone rule a typo out.
std::size_t typo_distance(std::string_view typed, std::string_view word, std::size_t max_edits) {
  const std::size_t gap = typed.size() > word.size() ? typed.size() - word.size() : word.size() - typed.size();
  return gap > max_edits ? max_edits + 1 : edit_distance(typed, word);
}

// What an unknown unit probably meant.
enum class UnitGuessKind { None, Unit, Week, Fortnight, SubSecond };

struct UnitGuess {
  UnitGuessKind kind = UnitGuessKind::None;
  Granularity unit = Granularity::Second;
  bool plural = false;
};

UnitGuess guess_unit(std::string_view letters) {
  using G = Granularity;
  using K = UnitGuessKind;
  static constexpr struct {
    std::string_view word;
    UnitGuess guess;
  } kAliases[] = {
      {"s", {K::Unit, G::Second, false}},    {"sec", {K::Unit, G::Second, false}},
      {"secs", {K::Unit, G::Second, true}},  {"m", {K::Unit, G::Minute, false}},
      {"min", {K::Unit, G::Minute, false}},  {"mins", {K::Unit, G::Minute, true}},
      {"h", {K::Unit, G::Hour, false}},      {"hr", {K::Unit, G::Hour, false}},
      {"hrs", {K::Unit, G::Hour, true}},     {"d", {K::Unit, G::Day, false}},
      {"mo", {K::Unit, G::Month, false}},    {"mon", {K::Unit, G::Month, false}},
      {"y", {K::Unit, G::Year, false}},      {"yr", {K::Unit, G::Year, false}},
      {"yrs", {K::Unit, G::Year, true}},     {"w", {K::Week, G::Day, true}},
      {"wk", {K::Week, G::Day, true}},       {"wks", {K::Week, G::Day, true}},
      {"week", {K::Week, G::Day, true}},     {"weeks", {K::Week, G::Day, true}},
      {"fortnight", {K::Fortnight, G::Day, true}},
      {"fortnights", {K::Fortnight, G::Day, true}},
      {"ms", {K::SubSecond, G::Second, false}},
      {"msec", {K::SubSecond, G::Second, false}},
      {"msecs", {K::SubSecond, G::Second, false}},
      {"millisecond", {K::SubSecond, G::Second, false}},
      {"milliseconds", {K::SubSecond, G::Second, false}},
  };
  for (const auto& alias : kAliases) {
    if (letters == alias.word) return alias.guess;
  }
  // Short words get one edit, so "ab" is not taken for "day". Singular wins ties.
  const std::size_t max_edits = letters.size() <= 3 ? 1 : 2;
  UnitGuess best;
  std::size_t best_edits = max_edits + 1;
  for (bool plural : {false, true}) {
    for (Granularity g : kUnits) {
      const std::size_t edits = typo_distance(letters, unit_word(g, plural), max_edits);
      if (edits < best_edits) {
        best = {K::Unit, g, plural};
        best_edits = edits;
      }
    }
  }
  return best;
}

std::optional<std::int64_t> number_word_value(std::string_view letters) {
  static constexpr struct {
    std::string_view word;
    std::int64_t value;
  } kNumbers[] = {{"zero", 0},    {"one", 1},    {"two", 2},       {"three", 3},    {"four", 4},
                  {"five", 5},    {"six", 6},    {"seven", 7},     {"eight", 8},    {"nine", 9},
                  {"ten", 10},    {"eleven", 11}, {"twelve", 12},  {"twenty", 20},  {"fifty", 50},
                  {"hundred", 100}, {"thousand", 1000}};
  for (const auto& number : kNumbers) {
    if (letters == number.word) return number.value;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------- examples for hints

// How a limit is written: "10/minute", "10 per 2 minutes".
std::string write_limit(std::int64_t amount, bool per, std::int64_t multiple, std::string_view unit) {
  std::string out = std::to_string(amount) + (per ? " per " : "/");
  if (multiple != 1) out += std::to_string(multiple) + " ";
  out += unit;
  return out;
}

struct Fraction {
  std::int64_t num = 0;
  std::int64_t den = 1;
};

// What a limit seems to say, read leniently (decimals allowed, extra tokens skipped), so that
// hints can show a corrected limit with the user's own numbers and unit.
struct Sketch {
  std::optional<Fraction> amount;
  bool per = false;
  std::optional<Fraction> multiple;
  std::optional<Granularity> unit;

  std::int64_t whole_amount() const { return amount && amount->den == 1 ? amount->num : 10; }
  std::int64_t whole_multiple() const {
    return multiple && multiple->den == 1 && multiple->num > 0 ? multiple->num : 1;
  }
  Granularity unit_or_minute() const { return unit.value_or(Granularity::Minute); }

  std::string example(std::optional<std::int64_t> amount_override = std::nullopt,
                      std::optional<std::int64_t> multiple_override = std::nullopt) const {
    const std::int64_t m = multiple_override.value_or(whole_multiple());
    return write_limit(amount_override.value_or(whole_amount()), per, m, unit_word(unit_or_minute(), m > 1));
  }

  // The same rate in whole numbers: 1.5/minute is 3/2 minutes.
  std::optional<std::string> in_whole_numbers() const {
    if (!amount || !unit) return std::nullopt;
    Fraction m = multiple.value_or(Fraction{1, 1});
    if (m.num == 0) m = {1, 1};  // limits reads a multiple of 0 as 1
    std::int64_t requests = 0;
    std::int64_t units = 0;
    if (__builtin_mul_overflow(amount->num, m.den, &requests) ||
        __builtin_mul_overflow(amount->den, m.num, &units)) {
      return std::nullopt;
    }
    const std::int64_t common = std::gcd(requests, units);
    requests /= common;
    units /= common;
    if (requests > kMaxRateNumber || units > kMaxRateNumber) return std::nullopt;
    return write_limit(requests, per, units, unit_word(*unit, units > 1));
  }
};

// ---------------------------------------------------------------- tokens

enum class TokenKind { Space, Digits, ForeignDigits, Word, Slash, Separator, Colon, Other, End };

struct Token {
  TokenKind kind = TokenKind::End;
  std::size_t begin = 0;  // code point offsets into the decoded text
  std::size_t end = 0;
  std::size_t size() const { return end - begin; }
};

TokenKind kind_of(char32_t c) {
  if (is_space(c)) return TokenKind::Space;
  if (is_ascii_digit(c)) return TokenKind::Digits;
  if (foreign_digit_value(c) >= 0) return TokenKind::ForeignDigits;
  if (c == U'/') return TokenKind::Slash;
  if (c == U':') return TokenKind::Colon;
  if (is_separator(c)) return TokenKind::Separator;
  if (is_ascii_letter(c) || (c >= 0x80 && !is_invisible(c))) return TokenKind::Word;
  return TokenKind::Other;
}

bool continues_run(TokenKind run, TokenKind next) {
  switch (run) {
    case TokenKind::Space: return next == TokenKind::Space;
    case TokenKind::Word: return next == TokenKind::Word;
    case TokenKind::Digits:
    case TokenKind::ForeignDigits: return next == TokenKind::Digits || next == TokenKind::ForeignDigits;
    default: return false;
  }
}

bool starts_with_per(std::u32string_view text) {
  return text.size() >= 3 && (text[0] | 0x20) == U'p' && (text[1] | 0x20) == U'e' &&
         (text[2] | 0x20) == U'r';
}

// Runs of spaces, digits and letters become one token each; every other character is its own.
// A word starting with "per" is split after it, since "per" may touch the unit ("10perminute")
// and no unit starts with "per".
std::vector<Token> tokenize(std::u32string_view text) {
  std::vector<Token> tokens;
  for (std::size_t begin = 0; begin < text.size();) {
    TokenKind kind = kind_of(text[begin]);
    std::size_t end = begin + 1;
    for (; end < text.size() && continues_run(kind, kind_of(text[end])); ++end) {
      if (kind_of(text[end]) == TokenKind::ForeignDigits) kind = TokenKind::ForeignDigits;
    }
    if (kind == TokenKind::Word && end - begin > 3 && starts_with_per(text.substr(begin))) {
      tokens.push_back({kind, begin, begin + 3});
      begin += 3;
    }
    tokens.push_back({kind, begin, end});
    begin = end;
  }
  tokens.push_back({TokenKind::End, text.size(), text.size()});
  return tokens;
}

// ---------------------------------------------------------------- the parser

const char kJoinAdvice[] = "join limits with ; , or |, e.g. ";

class RuleParser {
 public:
  explicit RuleParser(std::u32string text) : text_(std::move(text)), tokens_(tokenize(text_)) {}

  ParseResult parse() {
    std::optional<std::size_t> separator;  // token index of the separator before this item
    for (;;) {
      if (auto error = parse_item(separator)) return *error;
      if (peek().kind == TokenKind::End) return limits_;
      if (auto error = read_separator(separator)) return *error;
    }
  }

 private:
  enum class Role { Amount, Multiple };
  using MaybeError = std::optional<ParseError>;

  std::u32string text_;
  std::vector<Token> tokens_;  // ends with an End token
  std::size_t next_ = 0;       // the token being looked at
  std::size_t last_ = 0;       // the last token read that was not space
  std::vector<RateLimit> limits_;

  // The item being read.
  std::size_t item_first_ = 0;
  RateLimit item_;
  bool item_per_ = false;

  // -------- token access

  const Token& peek(std::size_t ahead = 0) const {
    return tokens_[std::min(next_ + ahead, tokens_.size() - 1)];
  }
  void advance() { last_ = next_++; }
  void skip_spaces() {
    while (peek().kind == TokenKind::Space) ++next_;
  }
  bool is_char(const Token& t, char32_t c) const { return t.size() == 1 && text_[t.begin] == c; }
  bool word_is(const Token& t, std::string_view lower) const {
    return t.kind == TokenKind::Word && fold(view(t)).letters == lower;
  }
  std::u32string_view view(const Token& t) const {
    return std::u32string_view(text_).substr(t.begin, t.size());
  }

  // The user's text from begin to end, cut short when long.
  std::string plain(std::size_t begin, std::size_t end) const {
    std::string out;
    const bool cut = end - begin > kQuoteLength;
    for (std::size_t i = begin; i < (cut ? begin + kQuoteLength - 4 : end); ++i) append_utf8(out, text_[i]);
    return cut ? out + "…" : out;
  }
  std::string quote(const Token& t) const { return '"' + plain(t.begin, t.end) + '"'; }
  std::string quote_span(std::size_t begin, std::size_t end) const { return '"' + plain(begin, end) + '"'; }

  // -------- errors

  static ParseError error_at(std::size_t offset, std::size_t length, std::string message,
                             std::string hint = {}) {
    return ParseError{std::move(message), offset, length, std::move(hint)};
  }
  static ParseError error_on(const Token& t, std::string message, std::string hint = {}) {
    return error_at(t.begin, t.size(), std::move(message), std::move(hint));
  }
  static ParseError missing_at(std::size_t offset, std::string message, std::string hint) {
    return error_at(offset, 0, std::move(message), std::move(hint));
  }
  // A token that does not belong here. Invisible characters get the same words everywhere.
  ParseError unexpected(const Token& t, std::string message, std::string hint) const {
    const char32_t c = text_[t.begin];
    if (t.kind == TokenKind::Other && is_invisible(c)) {
      return error_on(t, (is_control(c) ? "unexpected control character " : "unexpected invisible character ") +
                             code_point_name(c),
                      "delete it; invisible characters often come with copied text");
    }
    return error_on(t, std::move(message), std::move(hint));
  }

  Sketch sketch() const { return sketch_item(item_first_); }
  static std::string role_name(Role role) { return role == Role::Amount ? "the amount " : "the multiple "; }

  // -------- the list

  MaybeError parse_item(std::optional<std::size_t> separator) {
    skip_spaces();
    const Token& first = peek();
    if (first.kind == TokenKind::End) {
      if (!separator) return error_at(0, 0, "the rule is empty", "write a limit such as 10/minute");
      const Token& sep = tokens_[*separator];
      return error_on(sep, "no limit after the last " + quote(sep), "remove the " + quote(sep) + " at the end");
    }
    if (first.kind == TokenKind::Separator) {
      if (!separator) return error_on(first, "the rule starts with " + quote(first), "remove the " + quote(first));
      return error_on(first, "no limit between " + quote(tokens_[*separator]) + " and " + quote(first),
                      "remove the extra " + quote(first));
    }
    item_first_ = next_;
    item_ = RateLimit{};
    item_per_ = false;
    if (auto error = read_amount()) return error;
    skip_spaces();
    if (auto error = read_per()) return error;
    skip_spaces();
    const std::size_t window_begin = peek().begin;
    if (starts_number(next_)) {
      if (auto error = read_number(Role::Multiple, item_.multiples)) return error;
      if (item_.multiples == 0) item_.multiples = 1;  // as limits does
    }
    skip_spaces();
    bool plural = false;
    if (auto error = read_unit(plural)) return error;
    if (item_.multiples > kMaxRateNumber / granularity_seconds(item_.granularity)) {
      return error_at(window_begin, tokens_[last_].end - window_begin,
                      "the window " + quote_span(window_begin, tokens_[last_].end) +
                          " is too long; the most is " + std::to_string(kMaxRateNumber) + " seconds");
    }
    skip_spaces();
    if (auto error = check_item_end(plural)) return error;
    limits_.push_back(item_);
    return std::nullopt;
  }

  // Reads the optional ":" and the separator after an item; the current token is one of them.
  MaybeError read_separator(std::optional<std::size_t>& separator) {
    if (peek().kind == TokenKind::Colon) {
      if (peek(1).kind != TokenKind::Separator) return colon_error();
      advance();  // limits' "(:?" typo allows one ":" right before a separator
    }
    separator = next_;
    advance();
    return std::nullopt;
  }

  ParseError colon_error() {
    const Token& colon = peek();
    if (peek(1).kind == TokenKind::End) return error_on(colon, "the rule ends with \":\"", "remove the \":\"");
    if (peek(1).kind == TokenKind::Colon) return error_on(colon, "extra \":\"", "remove the \":\"");
    std::size_t after = next_ + 1;
    while (tokens_[after].kind == TokenKind::Space) ++after;
    const TokenKind kind = tokens_[after].kind;
    if (kind == TokenKind::End || kind == TokenKind::Separator || kind == TokenKind::Colon) {
      return error_on(colon, "unexpected \":\"", "remove the \":\"");
    }
    return error_on(colon, "\":\" does not separate limits", join_hint(after));
  }

  // "join limits with ; , or |, e.g. 10/minute; 5/second", from the item just read and the text
  // starting at token `next_item`.
  std::string join_hint(std::size_t next_item) const {
    std::size_t end = next_item;
    while (tokens_[end].kind != TokenKind::Separator && tokens_[end].kind != TokenKind::End) ++end;
    while (end > next_item && tokens_[end - 1].kind == TokenKind::Space) --end;
    return kJoinAdvice + plain(tokens_[item_first_].begin, tokens_[last_].end) + "; " +
           plain(tokens_[next_item].begin, tokens_[end - 1].end);
  }

  MaybeError check_item_end(bool plural) {
    const Token& t = peek();
    if (t.kind == TokenKind::End || t.kind == TokenKind::Separator || t.kind == TokenKind::Colon) {
      return std::nullopt;
    }
    const Token& unit = tokens_[last_];
    if (t.kind == TokenKind::Word && fold(view(t)).letters == "s") {
      if (plural) return error_on(t, "extra \"s\" after " + quote(unit), "remove it");
      return error_on(t, "the plural \"s\" is apart from " + quote(unit),
                      "write \"" + unit_word(item_.granularity, true) + "\" without a space");
    }
    if (t.kind == TokenKind::Digits || t.kind == TokenKind::ForeignDigits) {
      const Token& gap = tokens_[next_ - 1];
      if (gap.kind == TokenKind::Space) return error_on(gap, "whitespace does not separate limits", join_hint(next_));
      return missing_at(t.begin, "a separator is missing between two limits", join_hint(next_));
    }
    return unexpected(t, "unexpected " + quote(t) + " after " + quote(unit),
                      "a limit ends with its time unit");
  }

  // -------- numbers

  // A number starts here: digits, or a sign or decimal point right before digits.
  bool starts_number(std::size_t i) const {
    const Token& t = tokens_[i];
    if (t.kind == TokenKind::Digits || t.kind == TokenKind::ForeignDigits) return true;
    return (is_char(t, U'-') || is_char(t, U'+') || is_char(t, U'.')) &&
           tokens_[i + 1].kind == TokenKind::Digits;
  }

  // The value of ASCII digits, or nothing above kMaxRateNumber.
  std::optional<std::int64_t> digits_value(const Token& t) const {
    std::int64_t value = 0;
    for (char32_t c : view(t)) {
      value = value * 10 + static_cast<std::int64_t>(c - U'0');
      if (value > kMaxRateNumber) return std::nullopt;
    }
    return value;
  }

  // Digits, digits.digits or .digits starting at token i; moves i to the number's last token.
  std::optional<Fraction> fraction_at(std::size_t& i) const {
    const bool whole = tokens_[i].kind == TokenKind::Digits;
    const std::size_t point = whole ? i + 1 : i;
    const bool decimals = is_char(tokens_[point], U'.') && tokens_[point + 1].kind == TokenKind::Digits;
    if (!whole && !decimals) return std::nullopt;
    Fraction f;
    if (whole) {
      auto value = digits_value(tokens_[i]);
      if (!value) return std::nullopt;
      f.num = *value;
    }
    if (decimals) {
      for (char32_t c : view(tokens_[point + 1])) {
        if (f.den > kMaxRateNumber / 10 || f.num > kMaxRateNumber / 10) return std::nullopt;
        f.num = f.num * 10 + static_cast<std::int64_t>(c - U'0');
        f.den *= 10;
      }
    }
    i = decimals ? point + 1 : i;
    return f;
  }

  MaybeError read_amount() {
    if (starts_number(next_)) return read_number(Role::Amount, item_.amount);
    return not_an_amount();
  }

  MaybeError read_number(Role role, std::int64_t& out) {
    const Token& t = peek();
    if (t.kind == TokenKind::Other) return is_char(t, U'.') ? decimal_error(role) : sign_error(role);
    if (t.kind == TokenKind::ForeignDigits) return foreign_digits_error(role);
    if (is_char(peek(1), U'.') && peek(2).kind == TokenKind::Digits) return decimal_error(role);
    if (word_is(peek(1), "e") && peek(2).kind == TokenKind::Digits) return exponent_error(role);
    if (is_char(peek(1), U',') && peek(2).kind == TokenKind::Digits && peek(2).size() == 3) {
      return thousands_error(role);
    }
    const auto value = digits_value(t);
    if (!value) {
      return error_on(t, role_name(role) + quote(t) + " is too large; the most is " + std::to_string(kMaxRateNumber));
    }
    if (t.size() > kMaxPythonDigits) {
      return error_on(t, role_name(role) + quote(t) + " has more than " + std::to_string(kMaxPythonDigits) + " digits",
                      "leave out the leading zeros");
    }
    out = *value;
    advance();
    return std::nullopt;
  }

  ParseError decimal_error(Role role) const {
    const std::size_t begin = peek().begin;
    const std::size_t end = peek().kind == TokenKind::Digits ? peek(2).end : peek(1).end;
    const auto whole = sketch().in_whole_numbers();
    return error_at(begin, end - begin, role_name(role) + quote_span(begin, end) + " is not a whole number",
                    whole ? "use whole numbers: " + *whole + " is the same rate"
                          : "use whole numbers, e.g. 3/2 minutes instead of 1.5/minute");
  }

  ParseError sign_error(Role role) const {
    const Token& sign = peek();
    const std::size_t end = peek(1).end;
    const std::string number = role_name(role) + quote_span(sign.begin, end);
    const Sketch s = sketch();
    if (is_char(sign, U'+')) {
      return error_at(sign.begin, end - sign.begin, number + " has a \"+\" sign", "leave out the \"+\": " + s.example());
    }
    if (role == Role::Amount) {
      return error_at(sign.begin, end - sign.begin, number + " is negative",
                      "amounts start at 0, and " + s.example(0) + " blocks every request");
    }
    return error_at(sign.begin, end - sign.begin, number + " is negative",
                    "use a multiple of 1 or more, e.g. " + s.example());
  }

  ParseError foreign_digits_error(Role role) const {
    const Token& t = peek();
    std::string ascii;
    for (char32_t c : view(t).substr(0, kQuoteLength)) {
      ascii += static_cast<char>('0' + (is_ascii_digit(c) ? static_cast<int>(c - U'0') : foreign_digit_value(c)));
    }
    if (t.size() > kQuoteLength) ascii += "…";
    return error_on(t, role_name(role) + quote(t) + " is written with digits other than 0-9",
                    "type it with the digits 0-9: " + ascii);
  }

  ParseError exponent_error(Role role) const {
    const std::size_t begin = peek().begin;
    const std::size_t end = peek(2).end;
    std::string hint = "write the number with the digits 0-9 only";
    auto value = digits_value(peek());
    const auto exponent = digits_value(peek(2));
    if (value && *value != 0) {
      if (!exponent || *exponent > 16) value.reset();
      for (std::int64_t i = 0; value && i < *exponent && *value <= kMaxRateNumber; ++i) *value *= 10;
    }
    if (value && *value <= kMaxRateNumber) {
      const Sketch s = sketch();
      hint = "write it in full: " +
             (role == Role::Amount ? s.example(*value) : s.example(std::nullopt, *value));
    }
    return error_at(begin, end - begin, role_name(role) + quote_span(begin, end) + " is not written in digits only", hint);
  }

  ParseError thousands_error(Role role) const {
    std::size_t last = next_;
    while (is_char(tokens_[last + 1], U',') && tokens_[last + 2].kind == TokenKind::Digits &&
           tokens_[last + 2].size() == 3) {
      last += 2;
    }
    std::string joined;
    for (std::size_t i = next_; i <= last; i += 2) joined += plain(tokens_[i].begin, tokens_[i].end);
    const std::size_t begin = peek().begin;
    const std::size_t end = tokens_[last].end;
    return error_at(begin, end - begin, role_name(role) + quote_span(begin, end) + " has a thousands separator",
                    "write " + joined + " without commas; a comma separates limits");
  }

  ParseError not_an_amount() const {
    const Token& t = peek();
    const Sketch s = sketch();
    const std::string example = "start with the number of requests, e.g. " + s.example();
    if (t.kind == TokenKind::Slash || word_is(t, "per")) {
      return missing_at(t.begin, "the amount is missing before " + quote(t), example);
    }
    if (t.kind == TokenKind::Word) {
      const FoldedWord word = fold(view(t));
      if (auto value = number_word_value(word.letters)) {
        return error_on(t, quote(t) + " is not a number", "use digits: " + s.example(*value));
      }
      if (classify_unit(word).match != UnitMatch::Unknown) {
        return missing_at(t.begin, "the amount is missing before " + quote(t), example);
      }
    }
    return unexpected(t, "a limit starts with a whole number, not " + quote(t), example);
  }

  // -------- "/" or "per"

  MaybeError read_per() {
    const Token& t = peek();
    if (t.kind == TokenKind::Slash || word_is(t, "per")) {
      item_per_ = t.kind == TokenKind::Word;
      advance();
      return std::nullopt;
    }
    const Sketch s = sketch();
    const std::string amount = std::to_string(item_.amount);
    const std::string unit_name = unit_word(s.unit_or_minute(), s.whole_multiple() > 1);
    const std::string either = write_limit(item_.amount, false, s.whole_multiple(), unit_name) + " or " +
                               write_limit(item_.amount, true, s.whole_multiple(), unit_name);
    switch (t.kind) {
      case TokenKind::End:
      case TokenKind::Separator:
      case TokenKind::Colon:
        return missing_at(tokens_[last_].end, "\"/\" and a time unit are missing after " + quote(tokens_[last_]),
                          "add them, e.g. " + either);
      case TokenKind::Word: {
        const FoldedWord word = fold(view(t));
        const UnitWord unit = classify_unit(word);
        const UnitGuess guess = guess_unit(word.letters);
        if (unit.match != UnitMatch::Unknown || guess.kind == UnitGuessKind::Unit) {
          const Granularity g = unit.match != UnitMatch::Unknown ? unit.unit : guess.unit;
          return missing_at(t.begin, "\"/\" or \"per\" is missing before " + quote(t),
                            "write " + write_limit(item_.amount, false, 1, unit_word(g, false)) + " or " +
                                write_limit(item_.amount, true, 1, unit_word(g, false)));
        }
        if (word.letters.size() >= 2 && typo_distance(word.letters, "per", 1) <= 1) {
          return error_on(t, "expected \"/\" or \"per\" after " + amount + ", not " + quote(t),
                          "did you mean \"per\"?");
        }
        break;
      }
      case TokenKind::Other:
        if (is_char(t, U'\\')) {
          return error_on(t, "expected \"/\" or \"per\" after " + amount + ", not \"\\\"",
                          "use a forward slash: " + s.example(item_.amount));
        }
        break;
      default: break;
    }
    return unexpected(t, "expected \"/\" or \"per\" after " + amount + ", not " + quote(t), "e.g. " + either);
  }

  // -------- the unit

  MaybeError read_unit(bool& plural) {
    const Token& t = peek();
    switch (t.kind) {
      case TokenKind::Word: return read_unit_word(plural);
      case TokenKind::End:
      case TokenKind::Separator:
      case TokenKind::Colon:
        return missing_at(tokens_[last_].end, "the time unit is missing after " + quote(tokens_[last_]),
                          "e.g. " + limit_with(Granularity::Minute));
      case TokenKind::Slash:
        return error_on(t, "extra \"/\"", "a limit has one \"/\" or \"per\", e.g. " + sketch().example());
      case TokenKind::Digits:
      case TokenKind::ForeignDigits:
        return error_on(t, "extra number " + quote(t),
                        "a limit has one number before \"/\" and at most one after it, e.g. " + sketch().example());
      default: return unexpected(t, "expected a time unit, not " + quote(t), "e.g. " + limit_with(Granularity::Minute));
    }
  }

  // The item so far, finished with `unit` (plural when asked or when the multiple is above 1).
  std::string limit_with(Granularity unit, bool plural = false) const {
    return write_limit(item_.amount, item_per_, item_.multiples, unit_word(unit, plural || item_.multiples > 1));
  }

  MaybeError read_unit_word(bool& plural) {
    const Token& t = peek();
    const FoldedWord word = fold(view(t));
    const UnitWord unit = classify_unit(word);
    const std::string name(granularity_name(unit.unit));
    switch (unit.match) {
      case UnitMatch::Exact:
        item_.granularity = unit.unit;
        plural = unit.plural;
        advance();
        return std::nullopt;
      case UnitMatch::LookAlike: {
        const char32_t look_alike = text_[t.begin + word.first_look_alike];
        std::string letter;
        append_utf8(letter, look_alike);
        return error_on(t, quote(t) + " contains a look-alike letter: \"" + letter + "\" is not \"" +
                               word.letters[word.first_look_alike] + "\"",
                        "type \"" + name + "\" with plain letters: " + limit_with(unit.unit, unit.plural));
      }
      case UnitMatch::DoubledPlural:
        return error_on(t, quote(t) + " has too many \"s\"", "write " + limit_with(unit.unit, true));
      case UnitMatch::Unknown: break;
    }
    if (word_is(t, "per")) {
      return error_on(t, "extra \"per\"", "a limit has one \"/\" or \"per\", e.g. " + sketch().example());
    }
    return unknown_unit(t, word);
  }

  ParseError unknown_unit(const Token& t, const FoldedWord& word) const {
    const std::string message = "unknown time unit " + quote(t);
    const UnitGuess guess = guess_unit(word.letters);
    switch (guess.kind) {
      case UnitGuessKind::Unit: {
        const std::string suggestion = unit_word(guess.unit, guess.plural || item_.multiples > 1);
        return error_on(t, message, "did you mean \"" + suggestion + "\"? e.g. " + limit_with(guess.unit, guess.plural));
      }
      case UnitGuessKind::Week:
      case UnitGuessKind::Fortnight: {
        const std::int64_t per_unit = guess.kind == UnitGuessKind::Week ? 7 : 14;
        std::int64_t days = per_unit;
        if (__builtin_mul_overflow(per_unit, item_.multiples, &days) || days > kMaxRateNumber) days = per_unit;
        const std::string unit_name = guess.kind == UnitGuessKind::Week ? "week" : "fortnight";
        return error_on(t, message,
                        "there is no " + unit_name + " unit; write " + std::to_string(days) + " days, e.g. " +
                            write_limit(item_.amount, item_per_, days, "days"));
      }
      case UnitGuessKind::SubSecond:
        return error_on(t, message,
                        "the shortest unit is a second, e.g. " + write_limit(item_.amount, item_per_, 1, "second"));
      case UnitGuessKind::None: break;
    }
    return error_on(t, message, "the units are second, minute, hour, day, month and year");
  }

  // -------- sketches for hints

  Sketch sketch_item(std::size_t first) const {
    Sketch s;
    bool after_per = false;
    for (std::size_t i = first; tokens_[i].kind != TokenKind::Separator && tokens_[i].kind != TokenKind::End; ++i) {
      const Token& t = tokens_[i];
      if (t.kind == TokenKind::Slash || word_is(t, "per")) {
        if (!after_per) s.per = t.kind == TokenKind::Word;
        after_per = true;
      } else if (auto number = fraction_at(i)) {
        auto& slot = after_per ? s.multiple : s.amount;
        if (!slot) slot = number;
      } else if (t.kind == TokenKind::Word && !s.unit) {
        const UnitWord unit = classify_unit(fold(view(t)));
        if (unit.match == UnitMatch::Exact) s.unit = unit.unit;
      }
    }
    return s;
  }
};

ParseError too_long_error(std::string_view text) {
  const std::size_t kept = count_code_points(text.substr(0, kMaxRuleLength));
  return ParseError{"the rule is too long: " + std::to_string(text.size()) + " bytes; the most is " +
                        std::to_string(kMaxRuleLength),
                    kept, count_code_points(text.substr(kMaxRuleLength)), "shorten it"};
}

}  // namespace

ParseResult parse_rates(std::string_view text) {
  if (text.size() > kMaxRuleLength) return too_long_error(text);
  auto decoded = decode_utf8(text);
  if (auto* error = std::get_if<ParseError>(&decoded)) return std::move(*error);
  return RuleParser(std::move(std::get<std::u32string>(decoded))).parse();
}

}  // namespace ratelimit
