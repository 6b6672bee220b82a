#include "config/abi_value.hpp"

namespace steiger::config {

namespace {

void count(const Node& node, size_t& values, size_t& keys) {
  values += node.items.size() + node.members.size();
  keys += node.members.size();
  for (const Node& item : node.items) count(item, values, keys);
  for (const Member& m : node.members) count(m.value, values, keys);
}

steiger_str view(const std::string& s) {
  return steiger_str{s.data(), s.size()};
}

}  // namespace

AbiValueTree::AbiValueTree(const Node& node) : source_(std::make_unique<const Node>(node)) {
  size_t values = 1, keys = 0;
  count(*source_, values, keys);
  // Sized once: children are handed out as slices, which a reallocation would invalidate.
  values_.resize(values);
  keys_.resize(keys);
  fill(values_[0], *source_);
}

void AbiValueTree::fill(steiger_value& out, const Node& node) {
  out = steiger_value{};
  out.string = view(node.string);
  switch (node.kind) {
    case Node::Kind::Null:
      out.kind = STEIGER_VALUE_NULL;
      break;
    case Node::Kind::Bool:
      out.kind = STEIGER_VALUE_BOOL;
      out.boolean = node.boolean ? 1 : 0;
      break;
    case Node::Kind::Int:
      out.kind = STEIGER_VALUE_INT;
      out.integer = node.integer;
      out.number = static_cast<double>(node.integer);
      break;
    case Node::Kind::Double:
      out.kind = STEIGER_VALUE_DOUBLE;
      out.number = node.number;
      break;
    case Node::Kind::String:
      out.kind = STEIGER_VALUE_STRING;
      break;
    case Node::Kind::Array: {
      out.kind = STEIGER_VALUE_ARRAY;
      out.count = node.items.size();
      steiger_value* items = values_.data() + next_value_;
      next_value_ += out.count;
      out.items = items;
      for (size_t i = 0; i < out.count; ++i) fill(items[i], node.items[i]);
      break;
    }
    case Node::Kind::Object: {
      out.kind = STEIGER_VALUE_OBJECT;
      out.count = node.members.size();
      steiger_value* items = values_.data() + next_value_;
      steiger_str* keys = keys_.data() + next_key_;
      next_value_ += out.count;
      next_key_ += out.count;
      out.items = items;
      out.keys = keys;
      for (size_t i = 0; i < out.count; ++i) {
        keys[i] = view(node.members[i].key);
        fill(items[i], node.members[i].value);
      }
      break;
    }
  }
}

}  // namespace steiger::config
