#include "plan.hpp"

namespace steiger::railpack {

namespace {

std::size_t skip_blanks(const std::string& text, std::size_t pos) {
  while (pos < text.size() &&
         (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r'))
    ++pos;
  return pos;
}

}  // namespace

bool looks_like_plan(const std::string& json) {
  // In both formats as Railpack writes them, the first "steps" key is the top-level one.
  for (std::size_t at = json.find("\"steps\""); at != std::string::npos;
       at = json.find("\"steps\"", at + 1)) {
    std::size_t pos = skip_blanks(json, at + 7);
    if (pos >= json.size() || json[pos] != ':') continue;
    pos = skip_blanks(json, pos + 1);
    return pos < json.size() && json[pos] == '[';
  }
  return false;
}

std::vector<std::string> prepare_argv(const std::string& context, const std::string& plan_out) {
  return {"railpack", "prepare", context, "--plan-out", plan_out};
}

}  // namespace steiger::railpack
