// Per-key algorithm state as a plain vector indexed by KeyId: keys become small integers once,
// when first seen, so a decision is an index, not a hash lookup.
#pragma once

#include <vector>

#include "core/algorithm.hpp"

namespace ratelimit {

template <typename State>
class KeyedStates {
 public:
  State& operator[](KeyId key) {
    if (key >= states_.size()) states_.resize(static_cast<std::size_t>(key) + 1);
    return states_[key];
  }
  // `key`'s state, or nullptr if it has none; never adds one.
  State* find(KeyId key) { return key < states_.size() ? &states_[key] : nullptr; }
  void clear(KeyId key) {
    if (key < states_.size()) states_[key] = State{};
  }

 private:
  std::vector<State> states_;
};

}  // namespace ratelimit
