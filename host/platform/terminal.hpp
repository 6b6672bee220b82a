// What the progress display needs to know about the terminal it writes to.
#pragma once

namespace steiger::platform {

bool is_terminal(int fd);
// The window's columns, else $COLUMNS, else 80.
int terminal_width(int fd);
// A terminal, NO_COLOR unset (or empty, as no-color.org says), and TERM not "dumb".
bool colors_enabled(int fd);

}  // namespace steiger::platform
