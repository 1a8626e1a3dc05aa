// JSON text in and out for ratelimit-sim. Reading refuses hostile input (too big, nested too
// deep, not JSON) with a message saying what and where, instead of throwing; writing keeps
// results readable: one result, trace entry or parse answer per line.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <variant>

namespace ratelimit::cli {

using Json = nlohmann::ordered_json;  // keeps object members in the order they were written

inline constexpr std::size_t kMaxInputBytes = std::size_t{64} << 20;  // 64 MiB
inline constexpr int kMaxNesting = 64;                                // arrays and objects inside each other

// The document `text` holds, or a message such as
// `input is not JSON: parse error at line 1, column 5: syntax error while parsing array - ...`.
std::variant<Json, std::string> parse_json(std::string_view text);

// `value` as JSON text with ", " and ": " separators, on one line except that an array holding
// an object puts each element on a line of its own, indented by `indent` + 2 spaces (the
// closing bracket at `indent`). Invalid UTF-8 in strings is replaced, never thrown about.
std::string format_json(const Json& value, int indent = 0);

// `text` cut to at most `max_bytes` bytes without splitting a UTF-8 sequence, with "…" added
// when anything was cut.
std::string shortened(std::string_view text, std::size_t max_bytes);

}  // namespace ratelimit::cli
