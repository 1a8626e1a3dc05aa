// libFuzzer target: arbitrary bytes through ratelimit-sim's whole path (JSON text, scenario
// reader, the core's validation, the simulation, the result writer). Nothing may crash, hang
// or trip a sanitizer; every answer must be a result or an {"error": ...} object.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "cli/json_text.hpp"
#include "cli/scenario_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ratelimit::cli;
  const auto parsed = parse_json(std::string_view(reinterpret_cast<const char*>(data), size));
  if (const auto* message = std::get_if<std::string>(&parsed)) {
    if (message->empty()) __builtin_trap();  // a rejection always says why
    return 0;
  }
  const Json& document = std::get<Json>(parsed);
  std::uint64_t checks_left = 20000;  // keeps each input fast; the CLI's own budget is larger
  const auto check = [&](const Json& scenario) {
    const Json result = simulate(scenario, /*trace=*/true, checks_left);
    const bool answered = result.is_object() && (result.contains("error") || result.contains("results"));
    if (!answered) __builtin_trap();
    (void)format_json(result);
  };
  if (document.is_array()) {
    for (const Json& scenario : document) check(scenario);
  } else {
    check(document);
  }
  return 0;
}
