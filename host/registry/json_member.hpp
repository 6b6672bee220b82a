// Looking up an object member in a RapidJSON document.
#pragma once

#include <rapidjson/document.h>

namespace steiger::registry {

// The member `name` of `obj`, or nullptr when absent or when `obj` is not an object. Taking the
// object as const keeps the iterator comparison unambiguous under C++20's reversed operators.
inline const rapidjson::Value* member(const rapidjson::Value& obj, const char* name) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(name);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

}  // namespace steiger::registry
