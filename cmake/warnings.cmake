# Project-wide warning flags, applied through an interface target so that
# third-party code we compile against is not affected.
add_library(endstate_warnings INTERFACE)
target_compile_options(endstate_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough)
