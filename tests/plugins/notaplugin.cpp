// A perfectly good shared library that is not a plugin: it exports a function, but no
// steiger_plugin_entry. The host must say so and carry on.
extern "C" __attribute__((visibility("default"))) int steiger_not_a_plugin(int x) {
  return x + 1;
}
