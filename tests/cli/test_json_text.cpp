#include <doctest/doctest.h>

#include <string>

#include "cli/json_text.hpp"

using ratelimit::cli::format_json;
using ratelimit::cli::Json;
using ratelimit::cli::parse_json;
using ratelimit::cli::shortened;

namespace {

std::string error_of(const std::string& text) {
  const auto parsed = parse_json(text);
  REQUIRE(std::holds_alternative<std::string>(parsed));
  return std::get<std::string>(parsed);
}

std::string nested(int depth) {
  return std::string(static_cast<std::size_t>(depth), '[') +
         std::string(static_cast<std::size_t>(depth), ']');
}

}  // namespace

TEST_CASE("parse_json: a document keeps its members in the order they were written") {
  const auto parsed = parse_json(R"({"b": 1, "a": [true, null, "x"]})");
  REQUIRE(std::holds_alternative<Json>(parsed));
  CHECK(std::get<Json>(parsed).dump() == R"({"b":1,"a":[true,null,"x"]})");
}

TEST_CASE("parse_json: text that is not JSON is answered with what is wrong and where") {
  CHECK(error_of("") == "input is not JSON: the input is empty");
  CHECK(error_of(" \n\t ") == "input is not JSON: the input is empty");
  CHECK(error_of("[1,\n 2") ==
        "input is not JSON: parse error at line 2, column 3: syntax error while parsing array - "
        "unexpected end of input; expected ']'");
  CHECK(error_of(R"({"a":1}x)") ==
        "input is not JSON: parse error at line 1, column 8: syntax error while parsing value - invalid "
        "literal; last read: '1}x'; expected end of input");
}

TEST_CASE("parse_json: the input quoted in a parser message is cut short") {
  const std::string message = error_of("\"" + std::string(1000000, 'a'));
  CHECK(message ==
        "input is not JSON: parse error at line 1, column 1000002: syntax error while parsing "
        "value - invalid string: missing closing quote; last read: '\"" +
            std::string(39, 'a') + "…'");
}

TEST_CASE("parse_json: nesting deeper than 64 levels is refused before parsing, with its place") {
  CHECK(std::holds_alternative<Json>(parse_json(nested(64))));
  CHECK(error_of(nested(65)) ==
        "input nests arrays and objects more than 64 levels deep (at line 1, column 65)");
  CHECK(error_of("{\"a\":\n" + nested(100000)) ==
        "input nests arrays and objects more than 64 levels deep (at line 2, column 64)");
  SUBCASE("brackets inside strings do not nest") {
    CHECK(std::holds_alternative<Json>(parse_json("[\"" + std::string(1000, '[') + "\\\"\"]")));
  }
}

TEST_CASE("parse_json: a number beyond a double is refused with its place") {
  CHECK(error_of("{\"t\": \"1e999\",\n \"u\": -1e400}") ==
        "input holds a number beyond the range of a double (-1e400 at line 2, column 7)");
}

TEST_CASE("parse_json: input over 64 MiB is refused without parsing") {
  CHECK(error_of(std::string(ratelimit::cli::kMaxInputBytes + 1, ' ')) ==
        "input is too large: 67108865 bytes; the most is 67108864 (64 MiB)");
}

TEST_CASE("format_json: containers stay on one line unless an array holds objects") {
  CHECK(format_json(Json::parse(R"({"a": [1, "x"], "b": {"c": null}})")) ==
        R"({"a": [1, "x"], "b": {"c": null}})");
  CHECK(format_json(Json::array()) == "[]");
  CHECK(format_json(Json::object()) == "{}");
}

TEST_CASE("format_json: an array of objects puts one element per line, nested arrays indented further") {
  const Json value =
      Json::parse(R"({"epoch": 1, "results": [{"t": 0, "trace": [{"a": 1}, {"b": 2}]}, {"t": 1}], "n": 2})");
  CHECK(format_json(value) ==
        "{\"epoch\": 1, \"results\": [\n"
        "  {\"t\": 0, \"trace\": [\n"
        "    {\"a\": 1},\n"
        "    {\"b\": 2}\n"
        "  ]},\n"
        "  {\"t\": 1}\n"
        "], \"n\": 2}");
  CHECK(format_json(Json::parse(R"([{"x": 1}])"), 2) == "[\n    {\"x\": 1}\n  ]");
}

TEST_CASE("format_json: strings are escaped, and invalid UTF-8 is replaced rather than thrown about") {
  CHECK(format_json(Json("a\"b\n\u00e9")) == "\"a\\\"b\\n\u00e9\"");
  CHECK(format_json(Json(std::string("\xff"))) == "\"\xef\xbf\xbd\"");
}

TEST_CASE("shortened: cuts at a UTF-8 boundary and marks the cut") {
  CHECK(shortened("abc", 3) == "abc");
  CHECK(shortened("abcd", 3) == "abc…");
  CHECK(shortened("a\u00e9b", 2) == "a…");  // é is two bytes: never split
}
