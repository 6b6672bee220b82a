// Error kinds the host tells apart, because they end a run differently.
#pragma once

#include <stdexcept>
#include <string>

namespace steiger {

// Something the user gave us is wrong (command line, config, plugin set-up): exit status 2,
// reported before anything runs. The message says what is wrong, where, and what to do.
class UserError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace steiger
