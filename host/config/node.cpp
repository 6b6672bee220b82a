#include "config/node.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <system_error>

namespace steiger::config {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool all_of(std::string_view s, bool (*pred)(char)) {
  if (s.empty()) return false;
  for (char c : s)
    if (!pred(c)) return false;
  return true;
}

std::optional<std::int64_t> parse_int(std::string_view text) {
  int base = 10;
  bool negative = false;
  std::string_view digits = text;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'o')) {
    base = text[1] == 'x' ? 16 : 8;
    digits = text.substr(2);
    auto ok = base == 16 ? +[](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
                         : +[](char c) { return c >= '0' && c <= '7'; };
    if (!all_of(digits, ok)) return std::nullopt;
  } else {
    if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
      negative = digits[0] == '-';
      digits.remove_prefix(1);
    }
    if (!all_of(digits, is_digit)) return std::nullopt;
  }
  // Parsed unsigned so that INT64_MIN, whose magnitude has no positive int64, still fits.
  std::uint64_t magnitude = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (!negative) {
    if (magnitude > max) return std::nullopt;
    return static_cast<std::int64_t>(magnitude);
  }
  if (magnitude > max + 1) return std::nullopt;
  if (magnitude == max + 1) return std::numeric_limits<std::int64_t>::min();
  return -static_cast<std::int64_t>(magnitude);
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?, .inf and .nan in their three spellings.
std::optional<double> parse_float(std::string_view text) {
  std::string_view body = text;
  bool negative = false;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body == ".inf" || body == ".Inf" || body == ".INF")
    return negative ? -std::numeric_limits<double>::infinity()
                    : std::numeric_limits<double>::infinity();
  if (text == ".nan" || text == ".NaN" || text == ".NAN")
    return std::numeric_limits<double>::quiet_NaN();

  size_t i = 0;
  size_t int_digits = 0, frac_digits = 0;
  while (i < body.size() && is_digit(body[i])) ++i, ++int_digits;
  if (i < body.size() && body[i] == '.') {
    ++i;
    while (i < body.size() && is_digit(body[i])) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return std::nullopt;
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    if (i < body.size() && (body[i] == '-' || body[i] == '+')) ++i;
    size_t exp_digits = 0;
    while (i < body.size() && is_digit(body[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return std::nullopt;
  }
  if (i != body.size()) return std::nullopt;

  double value = 0;
  // from_chars wants no '+' and no bare trailing '.', so hand it a tidied copy.
  std::string tidy(body);
  if (int_digits == 0) tidy.insert(0, "0");
  auto [end, ec] = std::from_chars(tidy.data(), tidy.data() + tidy.size(), value);
  if (ec == std::errc::result_out_of_range) {
    value = std::numeric_limits<double>::infinity();
  } else if (ec != std::errc() || end != tidy.data() + tidy.size()) {
    return std::nullopt;
  }
  return negative ? -value : value;
}

Mark to_mark(const std::string& file, const YAML::Mark& m) {
  if (m.is_null()) return Mark{file, 0, 0};
  return Mark{file, m.line + 1, m.column + 1};
}

// Builds our Node tree from yaml-cpp's parse events, which (unlike YAML::Node) carry the position
// of every key and let us see duplicate keys.
class TreeBuilder : public YAML::EventHandler {
 public:
  explicit TreeBuilder(std::string file) : file_(std::move(file)) {}

  std::optional<Node>& root() { return root_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Node node;
    node.plain = true;
    node.mark = to_mark(file_, mark);
    add(std::move(node), anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    // An alias inside the node its anchor names would make an infinite tree.
    if (it == anchors_.end())
      throw ConfigError(to_mark(file_, mark), "an alias refers to a node that contains it");
    add(it->second, YAML::NullAnchor);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    Node node;
    node.mark = to_mark(file_, mark);
    // yaml-cpp tags quoted and block scalars "!" and plain ones "?".
    if (tag == "!" || tag == "tag:yaml.org,2002:str") {
      node.kind = Node::Kind::String;
      node.string = value;
    } else {
      resolve_plain_scalar(node, value);
    }
    add(std::move(node), anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(Node::Kind::Array, mark, anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(Node::Kind::Object, mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    Node node;
    YAML::anchor_t anchor = YAML::NullAnchor;
    bool have_key = false;
    std::string key;
    Mark key_mark;
  };

  void open(Node::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    Frame frame;
    frame.node.kind = kind;
    frame.node.mark = to_mark(file_, mark);
    frame.anchor = anchor;
    stack_.push_back(std::move(frame));
  }

  void close() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    add(std::move(frame.node), frame.anchor);
  }

  void add(Node node, YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor) anchors_[anchor] = node;
    if (stack_.empty()) {
      root_ = std::move(node);
      return;
    }
    Frame& top = stack_.back();
    if (top.node.kind == Node::Kind::Array) {
      top.node.items.push_back(std::move(node));
      return;
    }
    if (top.have_key) {
      top.node.members.push_back(Member{std::move(top.key), top.key_mark, std::move(node)});
      top.have_key = false;
      return;
    }
    set_key(top, node);
  }

  void set_key(Frame& top, const Node& key) {
    if (!key.is_scalar())
      throw ConfigError(key.mark, "a key must be a plain string, not " + describe_kind(key));
    if (key.is_null() && key.string.empty())
      throw ConfigError(key.mark, "a key is missing or null");
    for (const Member& m : top.node.members) {
      if (m.key == key.string)
        throw ConfigError(key.mark, "duplicate key '" + key.string + "' (first at line " +
                                        std::to_string(m.key_mark.line) + ", column " +
                                        std::to_string(m.key_mark.column) + ")");
    }
    top.key = key.string;
    top.key_mark = key.mark;
    top.have_key = true;
  }

  std::string file_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, Node> anchors_;
  std::optional<Node> root_;
};

// Sees whether a second document follows, and where.
class DocumentProbe : public YAML::EventHandler {
 public:
  std::optional<YAML::Mark> start;
  void OnDocumentStart(const YAML::Mark& mark) override { start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

Node parse_text(const std::string& text, const std::string& file_name) {
  try {
    std::istringstream in(text);
    YAML::Parser parser(in);
    TreeBuilder builder(file_name);
    if (!parser.HandleNextDocument(builder) || !builder.root()) {
      Node empty;
      empty.plain = true;
      empty.mark = Mark{file_name, 1, 1};
      return empty;
    }
    DocumentProbe probe;
    if (parser.HandleNextDocument(probe)) {
      const YAML::Mark at = probe.start.value_or(YAML::Mark::null_mark());
      // yaml-cpp also starts a new document at text that does not fit the first one.
      const bool marker = at.pos >= 0 && text.compare(static_cast<size_t>(at.pos), 3, "---") == 0;
      throw ConfigError(to_mark(file_name, at),
                        marker ? "a second YAML document starts here; the file must hold one"
                               : "invalid YAML: this does not continue the value above it "
                                 "(check the indentation, and that a list and a map are not "
                                 "mixed at one level)");
    }
    return std::move(*builder.root());
  } catch (const YAML::Exception& e) {
    throw ConfigError(to_mark(file_name, e.mark), "invalid YAML: " + e.msg);
  }
}

}  // namespace

const Node* Node::find(std::string_view key) const {
  for (const Member& m : members)
    if (m.key == key) return &m.value;
  return nullptr;
}

Node* Node::find(std::string_view key) {
  return const_cast<Node*>(static_cast<const Node*>(this)->find(key));
}

void resolve_plain_scalar(Node& node, std::string text) {
  node.plain = true;
  node.boolean = false;
  node.integer = 0;
  node.number = 0;
  node.items.clear();
  node.members.clear();
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
    node.kind = Node::Kind::Null;
  } else if (text == "true" || text == "True" || text == "TRUE") {
    node.kind = Node::Kind::Bool;
    node.boolean = true;
  } else if (text == "false" || text == "False" || text == "FALSE") {
    node.kind = Node::Kind::Bool;
  } else if (auto i = parse_int(text)) {
    node.kind = Node::Kind::Int;
    node.integer = *i;
    node.number = static_cast<double>(*i);
  } else if (auto d = parse_float(text)) {
    node.kind = Node::Kind::Double;
    node.number = *d;
  } else {
    node.kind = Node::Kind::String;
  }
  node.string = std::move(text);
}

Node parse_yaml_string(const std::string& text, const std::string& file_name) {
  return parse_text(text, file_name);
}

Node parse_yaml_file(const std::filesystem::path& file) {
  const std::string name = file.string();
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec))
    throw ConfigError(Mark{name}, "cannot read the config file: it is a directory");
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw ConfigError(Mark{name},
                      std::string("cannot read the config file: ") + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw ConfigError(Mark{name}, "cannot read the config file: read error");
  return parse_yaml_string(text.str(), name);
}

std::string describe_kind(Node::Kind kind) {
  switch (kind) {
    case Node::Kind::Null:
      return "null";
    case Node::Kind::Bool:
      return "a boolean";
    case Node::Kind::Int:
      return "an integer";
    case Node::Kind::Double:
      return "a number";
    case Node::Kind::String:
      return "a string";
    case Node::Kind::Array:
      return "a list";
    case Node::Kind::Object:
      return "a map";
  }
  return "a value";
}

std::string describe_kind(const Node& node) {
  return describe_kind(node.kind);
}

}  // namespace steiger::config
