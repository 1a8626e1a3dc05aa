#include "cli/json_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>

namespace ratelimit::cli {

namespace {

constexpr std::size_t kMaxQuotedToken = 40;  // bytes of offending input quoted in a message

std::string line_and_column(std::string_view text, std::size_t offset) {
  const std::string_view before = text.substr(0, offset);
  const std::size_t line = 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
  const std::size_t line_start = before.rfind('\n');
  const std::size_t column = offset - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// Calls `visit(i)` for each byte of `text` outside JSON strings, until it returns true; the
// index it stopped at, if it did. `visit` may move `i` on to skip bytes.
template <typename Visit>
std::optional<std::size_t> scan_outside_strings(std::string_view text, Visit visit) {
  bool in_string = false;
  bool escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else {
      const std::size_t at = i;
      if (visit(i)) return at;
    }
  }
  return std::nullopt;
}

// Where `text` first opens an array or object more than kMaxNesting levels deep, if anywhere;
// found before parsing, so the parser never sees such a document.
std::optional<std::size_t> too_deep_at(std::string_view text) {
  int depth = 0;
  return scan_outside_strings(text, [&](std::size_t& i) {
    const char c = text[i];
    if (c == '[' || c == '{') return ++depth > kMaxNesting;
    if ((c == ']' || c == '}') && depth > 0) --depth;
    return false;
  });
}

// nlohmann's message without its "[json.exception...] " prefix, and with the quoted input it
// cites ("last read: '...'") cut short: an unterminated 10 MB string would be quoted whole.
std::string parser_message(const std::string& what) {
  const std::size_t prefix_end = what.find("] ");
  std::string message = prefix_end == std::string::npos ? what : what.substr(prefix_end + 2);
  const std::size_t open = message.find('\'');
  if (open == std::string::npos) return message;
  std::size_t close = message.find("'; expected", open + 1);
  if (close == std::string::npos) close = message.rfind('\'');
  if (close <= open + 1 + kMaxQuotedToken) return message;
  const std::string token = message.substr(open + 1, close - open - 1);
  return message.substr(0, open + 1) + shortened(token, kMaxQuotedToken) + message.substr(close);
}

// " (LITERAL at line L, column C)" for the first number whose magnitude no double holds
// (nlohmann reports such a number without its position), or "".
std::string where_number_overflows(std::string_view text) {
  std::string literal;
  const auto at = scan_outside_strings(text, [&](std::size_t& i) {
    if (text[i] != '-' && (text[i] < '0' || text[i] > '9')) return false;
    const std::size_t end = std::min(text.find_first_not_of("+-.eE0123456789", i), text.size());
    literal = std::string(text.substr(i, end - i));
    if (std::isinf(std::strtod(literal.c_str(), nullptr))) return true;
    i = end - 1;
    return false;
  });
  if (!at) return "";
  return " (" + shortened(literal, kMaxQuotedToken) + " at " + line_and_column(text, *at) + ")";
}

bool holds_object(const Json& array) {
  return std::any_of(array.begin(), array.end(), [](const Json& item) { return item.is_object(); });
}

void write(const Json& value, int indent, std::string& out) {
  if (value.is_object()) {
    out += '{';
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (it != value.begin()) out += ", ";
      out += Json(it.key()).dump(-1, ' ', false, Json::error_handler_t::replace);
      out += ": ";
      write(it.value(), indent, out);
    }
    out += '}';
  } else if (value.is_array() && holds_object(value)) {
    const std::string inner(static_cast<std::size_t>(indent) + 2, ' ');
    out += "[\n";
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (it != value.begin()) out += ",\n";
      out += inner;
      write(*it, indent + 2, out);
    }
    out += '\n';
    out.append(static_cast<std::size_t>(indent), ' ');
    out += ']';
  } else if (value.is_array()) {
    out += '[';
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (it != value.begin()) out += ", ";
      write(*it, indent, out);
    }
    out += ']';
  } else {
    out += value.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
}

}  // namespace

std::string shortened(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t end = max_bytes;
  // Back up to the first byte of a UTF-8 sequence (continuation bytes are 10xxxxxx).
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end)) + "…";
}

std::variant<Json, std::string> parse_json(std::string_view text) {
  if (text.size() > kMaxInputBytes) {
    return "input is too large: " + std::to_string(text.size()) + " bytes; the most is " +
           std::to_string(kMaxInputBytes) + " (64 MiB)";
  }
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return std::string("input is not JSON: the input is empty");
  }
  if (const auto offset = too_deep_at(text)) {
    return "input nests arrays and objects more than " + std::to_string(kMaxNesting) + " levels deep (at " +
           line_and_column(text, *offset) + ")";
  }
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& error) {
    return "input is not JSON: " + parser_message(error.what());
  } catch (const Json::out_of_range&) {
    return "input holds a number beyond the range of a double" + where_number_overflows(text);
  }
}

std::string format_json(const Json& value, int indent) {
  std::string out;
  write(value, indent, out);
  return out;
}

}  // namespace ratelimit::cli
