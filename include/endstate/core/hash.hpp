#pragma once
// SHA-256 fingerprints of files and text (import log, result provenance, audit chain).

#include <string>
#include <string_view>

namespace endstate {

/// Lower-case hex SHA-256 of a file's bytes; throws Error(kNotFound) when unreadable.
std::string sha256_file(const std::string& path);

/// Lower-case hex SHA-256 of a byte string.
std::string sha256_hex(std::string_view data);

}  // namespace endstate
