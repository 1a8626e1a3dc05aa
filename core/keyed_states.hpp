// Per-key algorithm state as a plain vector indexed by KeyId: keys become small integers once,
// when first seen, so a decision is an index, not a hash lookup.
#pragma once

#include <vector>

#include "core/algorithm.hpp"

namespace ratelimit {

// Loads the first byte of `object` and discards it, so that a decision a few steps later finds it
// in the cache. WebAssembly has no prefetch instruction; a volatile load that nothing depends on
// is the portable way to start a cache miss early, overlapped with the work in between.
template <typename T>
void read_ahead(const T& object) {
  static_cast<void>(*reinterpret_cast<const volatile char*>(&object));
}

template <typename State>
class KeyedStates {
 public:
  State& operator[](KeyId key) {
    if (key >= states_.size()) states_.resize(static_cast<std::size_t>(key) + 1);
    return states_[key];
  }
  // Reads `key`'s state, if it has one, and discards it: see read_ahead().
  void read_ahead(KeyId key) const {
    if (key < states_.size()) ratelimit::read_ahead(states_[key]);
  }
  // Calls `use(state)` if `key` has a state; never adds one.
  template <typename Use>
  void if_present(KeyId key, Use use) const {
    if (key < states_.size()) use(states_[key]);
  }
  void clear(KeyId key) {
    if (key < states_.size()) states_[key] = State{};
  }

 private:
  std::vector<State> states_;
};

}  // namespace ratelimit
