#include "registry/push_error.hpp"

#include <utility>

namespace steiger::registry {
namespace {

std::string compose(const std::string& image, const std::string& item, const std::string& detail) {
  std::string out = "cannot push " + image;
  if (!item.empty()) out += ": " + item;
  return out + ": " + detail;
}

}  // namespace

PushError::PushError(std::string image, std::string item, std::string detail)
    : std::runtime_error(compose(image, item, detail)),
      image_(std::move(image)),
      item_(std::move(item)),
      detail_(std::move(detail)) {}

}  // namespace steiger::registry
