#include "cli/commands.hpp"

int main(int argc, char** argv) {
  return steiger::cli::run(argc, argv);
}
