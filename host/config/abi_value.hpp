// The C view of a config block that crosses the plugin boundary (steiger_value in abi.h).
#pragma once

#include <memory>
#include <vector>

#include <steiger/sdk/abi.h>

#include "config/node.hpp"

namespace steiger::config {

// Owns every array, key and string the steiger_value tree points into: pointers stay valid while
// the tree lives, moves included. Scalars other than strings also carry their text as written in
// `string` (numbers keep "1.10"); strings are never NULL, only empty.
class AbiValueTree {
 public:
  explicit AbiValueTree(const Node& node);
  AbiValueTree(const AbiValueTree&) = delete;
  AbiValueTree& operator=(const AbiValueTree&) = delete;
  AbiValueTree(AbiValueTree&&) noexcept = default;
  AbiValueTree& operator=(AbiValueTree&&) noexcept = default;
  ~AbiValueTree() = default;

  const steiger_value* root() const { return values_.data(); }

 private:
  void fill(steiger_value& out, const Node& node);

  // A private copy, heap-held so that moving the tree does not move the strings.
  std::unique_ptr<const Node> source_;
  std::vector<steiger_value> values_;  // values_[0] is the root; children sit contiguously
  std::vector<steiger_str> keys_;
  size_t next_value_ = 1;
  size_t next_key_ = 0;
};

}  // namespace steiger::config
