// `ratelimit-sim replay`: an access log replayed under one rule (core/replay.hpp), summarised
// as text or JSON.
#pragma once

#include <ostream>
#include <string_view>
#include <vector>

namespace ratelimit::cli {

// `args` are the words after "replay". Returns the exit status: 0 when requests were replayed,
// 2 for bad arguments, an unreadable file or a log with no request in it, 1 when output failed.
int replay_command(const std::vector<std::string_view>& args, std::ostream& out, std::ostream& err);

}  // namespace ratelimit::cli
