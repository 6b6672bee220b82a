// JSON Schema (a draft-7 subset) checks of a config Node, reporting every problem with its
// file:line:col. Plugins declare the schema of their config blocks; the host checks each block
// before anything runs.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/mark.hpp"
#include "config/node.hpp"

namespace steiger::config {

struct SchemaError {
  Mark mark;
  std::string path;  // "build.api.dockerfil"
  std::string message;
  // "file:line:col: build.api.dockerfil: unknown key 'dockerfil'; did you mean 'dockerfile'?"
  std::string to_string() const;
};

// Supported keywords: type, properties, required, additionalProperties, items, enum, const,
// minItems, maxItems, minLength, minimum, maximum, pattern, minProperties; true/false schemas.
// Annotations (description, title, default, examples, $schema, $id, $comment) are ignored.
// Anything else is refused when parsing, so a schema never silently checks less than it says.
class Schema {
 public:
  // Accepts any value.
  Schema();

  // Throws std::invalid_argument saying what is wrong: bad JSON (with its offset), an unsupported
  // keyword or a keyword of the wrong type (with its JSON pointer).
  static Schema parse(std::string_view json);

  // `path` names `value` in messages ("build.api"); errors come in document order.
  std::vector<SchemaError> validate(const Node& value, const std::string& path) const;

  struct Compiled;

 private:
  explicit Schema(std::shared_ptr<const Compiled> compiled);
  // Immutable once parsed, so copies share it.
  std::shared_ptr<const Compiled> compiled_;
};

}  // namespace steiger::config
